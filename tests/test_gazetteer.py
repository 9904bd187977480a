"""The gazetteer: name normalisation, lookups and importing a GeoNames dump."""

from __future__ import annotations

import math

import pytest

from sitroom import gazetteer
from sitroom.gazetteer import Gazetteer, import_geonames_dump, loose, normalise


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Deir ez-Zor", "deir ez zor"),
        ("Karbalā’", "karbala"),
        ("Dar'a", "dara"),
        ("U.S.", "us"),
        ("St. Petersburg", "saint petersburg"),
        ("Ḩalab", "halab"),
    ],
)
def test_normalise_folds_case_marks_and_punctuation(name: str, key: str) -> None:
    assert normalise(name) == key


def test_loose_key_joins_transliteration_variants() -> None:
    assert loose(normalise("al-Raqqah")) == loose(normalise("Raqqa")) == loose(normalise("Ar Raqqa"))
    assert loose(normalise("Hassakeh")) == loose(normalise("Hasakah"))


def test_lookup_finds_city_and_province_with_coordinates() -> None:
    gaz = gazetteer.get()
    mosul = next(c for c in gaz.lookup("Mosul") if c.feature == "city")
    assert mosul.country == "IQ"
    assert _km(mosul.lat, mosul.lon, 36.34, 43.13) < 25
    variants = {c.index for c in gaz.lookup("al-Raqqah")} & {c.index for c in gaz.lookup("Raqqa")}
    assert variants, "spelling variants reach the same places"
    assert any(c.feature == "admin1" and c.country == "SO" for c in gaz.lookup("Lower Juba"))
    assert any(c.feature == "admin1" and c.country == "US" for c in gaz.lookup("Texas"))
    darfur = gaz.lookup("Darfur")[0]  # derived from North/South/West/East/Central Darfur
    assert darfur.feature == "region" and darfur.country == "SD"
    assert _km(darfur.lat, darfur.lon, 13.0, 25.0) < 300


def test_lookup_country_forms_and_filter() -> None:
    gaz = gazetteer.get()
    for name in ("US", "USA", "United States", "America"):
        assert gaz.lookup(name)[0].country == "US", name
    assert gaz.lookup("DRC")[0].country == "CD"
    assert gaz.lookup("Ivory Coast")[0].country == "CI"
    assert all(c.country == "US" for c in gaz.lookup("Paris", country="us"))
    assert gaz.lookup("Zzyzxqwv") == []


def test_admin1_name_is_readable() -> None:
    gaz = gazetteer.get()
    assert gaz.admin1_name("US", "TX") == "Texas"
    assert gaz.admin1_name("IQ", None) is None


_DUMP_ROWS = [
    # geonameid, name, asciiname, alternates, lat, lon, class, code, cc, cc2, admin1, admin2, admin3,
    # admin4, population, elevation, dem, timezone, modified
    ["990000001", "Qaryat Zubaydiyya", "Qaryat Zubaydiyya", "Zubaydiyya Village,قرية", "36.1", "43.2", "P", "PPL",
     "IQ", "", "15", "", "", "", "0", "", "250", "Asia/Baghdad", "2020-01-01"],
    ["990000002", "Nahr Qulwasi", "Nahr Qulwasi", "", "36.3", "43.3", "H", "STM", "IQ", "", "15", "", "", "", "0",
     "", "240", "Asia/Baghdad", "2020-01-01"],
    ["990000003", "Road junction", "Road junction", "", "36.0", "43.0", "R", "RDJCT", "IQ", "", "15", "", "", "",
     "0", "", "240", "Asia/Baghdad", "2020-01-01"],
]


def test_import_geonames_dump_adds_places(tmp_path) -> None:
    dump = tmp_path / "IQ.txt"
    dump.write_text("".join("\t".join(row) + "\n" for row in _DUMP_ROWS), encoding="utf-8")
    folder = import_geonames_dump(dump, tmp_path / "user")
    assert folder == tmp_path / "user" / "IQ"
    gaz = Gazetteer.load(folder)
    village = gaz.lookup("Zubaydiyya Village")
    assert [c.geonameid for c in village] == [990000001]
    assert village[0].feature == "village" and village[0].admin1 == "15"
    assert gaz.lookup("Nahr Qulwasi")[0].feature == "water"
    assert gaz.lookup("Road junction") == []  # roads are not imported


def test_get_loads_imported_dumps_from_sitroom_home(tmp_path, monkeypatch) -> None:
    dump = tmp_path / "IQ.txt"
    dump.write_text("\t".join(_DUMP_ROWS[0]) + "\n", encoding="utf-8")
    monkeypatch.setenv("SITROOM_HOME", str(tmp_path / "home"))
    import_geonames_dump(dump)
    gazetteer.reset()
    try:
        gaz = gazetteer.get()
        assert [c.geonameid for c in gaz.lookup("Qaryat Zubaydiyya")] == [990000001]
        assert gaz.lookup("Mosul"), "packaged places are still there"
    finally:
        monkeypatch.delenv("SITROOM_HOME")
        gazetteer.reset()


def test_missing_data_folder_gives_an_empty_gazetteer(tmp_path) -> None:
    with pytest.warns(RuntimeWarning, match="gazetteer data missing"):
        gaz = Gazetteer.load(tmp_path / "nowhere")
    assert len(gaz) == 0 and gaz.lookup("Mosul") == []


def test_cli_gazetteer_import_writes_under_sitroom_home(tmp_path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from sitroom.cli import app

    dump = tmp_path / "IQ.txt"
    dump.write_text("\t".join(_DUMP_ROWS[0]) + "\n", encoding="utf-8")
    monkeypatch.setenv("SITROOM_HOME", str(tmp_path / "home"))
    result = CliRunner().invoke(app, ["gazetteer", "import", str(dump)])
    assert result.exit_code == 0, result.output
    assert Gazetteer.load(tmp_path / "home" / "gazetteer" / "IQ").lookup("Qaryat Zubaydiyya")
    missing = CliRunner().invoke(app, ["gazetteer", "import", str(tmp_path / "nope.txt")])
    assert missing.exit_code != 0 and "no such file" in missing.output


def test_key_bitmap_never_hides_a_key() -> None:
    """The bitmap that skips lookups of missing keys has a bit for every exact and loose key."""
    gaz = gazetteer.get()
    bits = gaz._index_keys()
    keys = gaz._sorted[1 : gaz._count + 1 : 997]
    assert any(key.startswith("~") for key in keys)
    for key in keys:
        h = hash(key.lstrip("~")) & gazetteer._WORD_BITS
        assert bits[h >> 3] >> (h & 7) & 1, key
    assert gaz.matches_for_key("raqqah") and gaz.matches_for_key("ar raqqa")  # exact and loose-only
