"""Offline gazetteer: place names -> candidate places with coordinates.

Public API (used by ``places`` and by the events stage):

- ``get() -> Gazetteer``: the process-wide gazetteer, loaded lazily on first call from the
  packaged data (``sitroom/data/gazetteer/``) plus every GeoNames dump imported into the user
  data dir (``$SITROOM_HOME/gazetteer`` or ``~/.local/share/sitroom/gazetteer``).
- ``Gazetteer.lookup(name, country=None) -> list[Candidate]``: places called ``name`` (any
  spelling the normaliser folds together), best prior first (feature rank, then population);
  ``country`` (ISO2) keeps only that country's places.
- ``Gazetteer.admin1_name(country, code)``: readable name of an admin1 code ("IQ", "15" -> "Nineveh").
- ``normalise(name)`` / ``loose(key)``: the name keys the index is built on.
- ``import_geonames_dump(path, dest=None)``: add a GeoNames country dump (``IQ.txt``) to the user
  data dir so that ``get()`` also finds its villages, rivers and districts.

Data format (both packaged and imported; plain gzipped TSV, parsed without pickle):
``places.tsv.gz``: one place a line, its line number is its index:
``geonameid, feature, country, admin1, lat, lon, population, name``.
``names.tsv.gz``: a count N, then N sorted keys, then N id lists ``i,+j,k`` (line-aligned;
'+' marks a place reached through an alternate name, not its main name);
a key is ``normalise(name)`` or ``"~" + loose(...)``
and i,j,k are place indexes in prior order. Records are parsed only when a lookup needs them,
which keeps the one-off load well under a second.
"""

from __future__ import annotations

import gzip
import os
import re
import threading
import unicodedata
import warnings
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, chain
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data" / "gazetteer"

# Feature ranks used for the prior order of candidates (higher wins before population).
FEATURE_PRIOR = {
    "continent": 9.0,
    "country": 9.0,
    "admin1": 7.0,
    "region": 6.0,
    "water": 4.0,
}
_ABBREVIATED = re.compile(r"\b(st|mt|ft)\b")
_EXPANDED = {"st": "saint", "mt": "mount", "ft": "fort"}

# Letters NFKD does not decompose, and marks that transliterations of Arabic use for ayn/hamza.
_FOLD = str.maketrans(
    {
        "ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae",
        "œ": "oe", "ħ": "h", "ŧ": "t", "ŋ": "n",
        "ʻ": "", "ʼ": "", "ʿ": "", "ʾ": "", "'": "", "’": "", "‘": "", "`": "", "´": "", "ʹ": "",
        ".": "",
    }
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Arabic article forms written as separate words once hyphens are spaces ("Deir ez-Zor").
_ARTICLES = frozenset(["al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ez", "es", "ed", "er", "et", "ul", "ath",
                       "adh", "ech"])
_WORD_AH = re.compile(r"(?<=\w\w)[ae]h\b")  # Raqqah/Raqqa, Hasakeh/Hasaka
_DOUBLE = re.compile(r"([a-z])\1+")


def _first_group(match: re.Match[str]) -> str:
    return match.group(1)


# Transliterations of Arabic place-name words and the spelling GeoNames mostly uses.
_HEAD_VARIANTS = {"tel": ("tall", "tal"), "tell": ("tall", "tal"), "tal": ("tall",), "ain": ("ayn",), "ein": ("ayn",),
                  "kfar": ("kafr",), "kafar": ("kafr",), "deir": ("dayr",), "dair": ("dayr",), "jebel": ("jabal",),
                  "sheikh": ("shaykh",), "shaikh": ("shaykh",), "beit": ("bayt",), "bait": ("bayt",),
                  "khirbet": ("khirbat",), "um": ("umm",), "abou": ("abu",)}


_HEAD_WORDS = frozenset(_HEAD_VARIANTS)
# Words a key may hold that the index need not: loose() drops articles, _word_variants respells
# head words, normalise expands st/mt/ft only in names of more than one word.
_FREE_WORDS = _ARTICLES | _HEAD_WORDS | frozenset({"st", "mt", "ft"})
_WORD_BITS = (1 << 24) - 1  # mask of word hashes in the may_match bitmap (2 MB)


def _word_variants(key: str) -> list[str]:
    """Keys with one Arabic head word respelled ("tel tamr" -> "tall tamr", "tal tamr")."""
    words = key.split()
    if _HEAD_WORDS.isdisjoint(words):
        return []  # most keys (speed: this runs for every multi-word name the index lacks)
    out = []
    for i, word in enumerate(words):
        for alt in _HEAD_VARIANTS.get(word, ()):
            out.append(" ".join([*words[:i], alt, *words[i + 1 :]]))
    return out


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """Case, diacritics, apostrophes, dots and hyphens folded: 'Deir ez-Zor' -> 'deir ez zor'."""
    text = name.lower().translate(_FOLD)
    if not text.isascii():  # NFKD and the mark filter change nothing in ASCII (most names)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    if not (text.isalnum() and text.isascii()):  # one plain word needs no cleaning (speed: measured hot)
        text = _NON_ALNUM.sub(" ", text).strip()
    # "St. Petersburg" and "Saint Petersburg", "Mt. Pleasant" and "Mount Pleasant" share a key.
    if " " not in text or ("st" not in text and "mt" not in text and "ft" not in text):
        return text  # (speed: the pattern below needs one of these)
    return _ABBREVIATED.sub(lambda m: _EXPANDED[m.group(1)], text)


def loose(key: str) -> str:
    """A coarser key for transliteration variants: articles dropped, -ah/-eh as -a, ou/oo/ee
    folded and doubled letters single ('al raqqah' and 'raqqa' -> 'raqa'). Used only as a
    fallback when the exact key finds nothing. (Dropping spaces too, for 'Shahdadkot' /
    'Shahdad Kot', added 200,000 keys and 40 MB for one more ACLED record: not done.)"""
    words = key.split()
    if len(words) > 1:
        words = [w for w in words if w not in _ARTICLES] or words
    text = " ".join(words)
    if "ah" in text or "eh" in text:  # (speed: the pattern needs one of these)
        text = _WORD_AH.sub("a", text)
    text = text.replace("ou", "u").replace("oo", "u").replace("ee", "i")
    return _DOUBLE.sub(_first_group, text)  # a function: Python 3.11 expands r"\1" templates slowly


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer place a name may refer to."""

    index: int  # position in the gazetteer (stable within one process)
    geonameid: int | None
    name: str
    feature: str  # continent | country | admin1 | admin2 | city | town | village | water | region | site
    country: str | None  # ISO2
    admin1: str | None  # GeoNames admin1 code within the country ("15" for Nineveh, "TX")
    lat: float
    lon: float
    population: int

    prior: float = 0.0  # context-free preference, see ``prior_of``


def prior_of(feature: str, population: int) -> float:
    """Context-free preference: feature rank, else the order of magnitude of the population."""
    rank = FEATURE_PRIOR.get(feature)
    if rank is not None:
        return rank
    if population <= 0 and feature in ("city", "town", "village"):
        # cities500 keeps places under 500 people only when they are administrative seats,
        # so an unknown population there means a district or province seat: rank it as a town.
        return 2.4
    magnitude = len(str(population)) - 1 if population > 0 else 0
    digits = (magnitude if magnitude < 7 else 7) * 0.8  # (not min(): measured hot)
    # A district is less often meant than the town of the same size it is named after.
    return digits - 0.5 if feature == "admin2" else digits


class Gazetteer:
    """Name index over packaged (and user-imported) places. Build with ``load`` or ``get()``."""

    def __init__(self) -> None:
        self._rows: list[str] = []
        self._sorted: list[str] = []  # [count, key_1..key_n] of the first folder
        self._count = 0
        # Their id lists ("i,+j,k"), one string, and where each ends (without the newlines before
        # it): one str object per key took ~36 MB more.
        self._ids_text = ""
        self._ids_ends = array("q")
        self._names: dict[str, str] = {}  # keys of folders added later (imported dumps)
        self._cache: dict[int, Candidate] = {}
        self._memo: dict[str, list[tuple[Candidate, bool]]] = {}
        self._admin1_names: dict[tuple[str, str], int] = {}
        self._derived: dict[str, dict] = {}
        self._loose_words: dict[str, str] = {}  # word -> loose(word), see _loose
        self._words: bytearray | None = None  # a bit per hash of every word of every index key (see may_match)
        self._keys: bytearray | None = None  # a bit per hash of every index key, "~" left out (see _matches)

    # -- loading -------------------------------------------------------------------------
    @classmethod
    def load(cls, *dirs: Path) -> Gazetteer:
        gaz = cls()
        for folder in dirs:
            gaz.add_dir(folder)
        return gaz

    def add_dir(self, folder: Path) -> None:
        """Add the places and names of one data folder (indexes are shifted past existing ones).

        The first folder's names stay a sorted list searched with bisect: building a dict of
        ~800k keys costs more than the whole rest of the load on a small machine."""
        if not (folder / "places.tsv.gz").is_file() or not (folder / "names.tsv.gz").is_file():
            # A broken install must not sink every document: no places, and one clear warning.
            warnings.warn(f"gazetteer data missing in {folder}: no places will be found "
                          "(rebuild with scripts/build_gazetteer.py)", RuntimeWarning, stacklevel=2)
            return
        offset = len(self._rows)
        with gzip.open(folder / "places.tsv.gz", "rt", encoding="utf-8") as fh:
            self._rows.extend(fh.read().splitlines())
        with gzip.open(folder / "names.tsv.gz", "rt", encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        count = int(lines[0])
        if not self._sorted:
            ids = lines[count + 1 : 2 * count + 1]
            self._sorted, self._count = lines[: count + 1], count
            self._ids_text, self._ids_ends = "\n".join(ids), array("q", accumulate(map(len, ids)))
        else:
            for key, found in zip(lines[1 : count + 1], lines[count + 1 : 2 * count + 1], strict=True):
                shifted = ",".join(_shift(i, offset) for i in found.split(","))
                extra = self._names.get(key)
                self._names[key] = f"{extra},{shifted}" if extra else shifted
        self._admin1_names.clear()
        self._memo.clear()
        self._derived.clear()
        self._words = None
        self._keys = None

    def _ids(self, key: str) -> str | None:
        """Comma-separated place indexes under one exact index key, or None."""
        found = None
        if self._sorted:
            pos = bisect_left(self._sorted, key, 1, self._count + 1)
            if pos <= self._count and self._sorted[pos] == key:
                i, ends = pos - 1, self._ids_ends
                found = self._ids_text[(ends[i - 1] if i else 0) + i : ends[i] + i]
        extra = self._names.get(key) if self._names else None
        if extra:
            return f"{found},{extra}" if found else extra
        return found

    def derived(self, name: str) -> dict:
        """A memo for what callers derive from this gazetteer's names (the places stage's reading
        of a run of capitalised words), emptied when data is added; the caller bounds its size."""
        return self._derived.setdefault(name, {})

    # -- queries -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._rows)

    def candidate(self, index: int) -> Candidate:
        cand = self._cache.get(index)
        if cand is None:
            gid, feature, cc, adm1, lat, lon, pop, name = self._rows[index].split("\t")
            population = int(pop or 0)
            cand = Candidate(index, int(gid) if gid else None, name, feature, cc or None, adm1 or None,
                             float(lat), float(lon), population, prior_of(feature, population))
            self._cache[index] = cand
        return cand

    def has_key(self, key: str) -> bool:
        return self._ids(key) is not None

    def matches_for_key(self, key: str) -> list[tuple[Candidate, bool]]:
        """(candidate, matched by its main name) under a normalised key (exact, else loose).

        A match through an alternate name only ('White House' for Casablanca, 'Man' among
        Amman's variants) is weaker evidence than the place's own name; callers weigh it.
        Results are memoised per key (callers must not mutate the list)."""
        if key in self._memo:  # (not .get: measured hot)
            return self._memo[key]
        if len(self._memo) > 200_000:
            self._memo.clear()
        found = self._memo[key] = self._matches(key)
        return found

    def _matches(self, key: str) -> list[tuple[Candidate, bool]]:
        # Speed (measured hot: most keys asked for are misses, each two or three bisections of
        # ~800k keys): a bitmap of the hashes of every key rules most of them out first.
        bits = self._keys
        if bits is None:
            bits = self._keys = self._index_keys()
        h = hash(key) & _WORD_BITS
        ids = self._ids(key) if bits[h >> 3] >> (h & 7) & 1 else None
        exact = bool(ids)
        if not ids:
            lkey = self._loose(key)
            h = hash(lkey) & _WORD_BITS
            ids = self._loose_ids(key, lkey) if bits[h >> 3] >> (h & 7) & 1 else ""
        if not ids and " " in key:
            # "Tel Tamr" / "Tall Tamr", "Ain Issa" / "Ayn Issa": one word of a common Arabic
            # place-name head spelled as GeoNames spells it.
            for variant in _word_variants(key):
                ids = self._ids(variant) or self._loose_ids(variant)
                if ids:
                    exact = False
                    break
        if not ids:
            return []
        best: dict[int, bool] = {}
        for item in ids.split(","):
            if item[0] == "+":
                index, main = int(item[1:]), False
            else:
                index, main = int(item), exact  # a loose match is never a main-name match
            best[index] = main or (index in best and best[index])
        # Sorted on plain tuples (speed: no key function call per candidate); the position keeps
        # the order of equals as a stable sort would.
        found = [(self.candidate(i), main) for i, main in best.items()]
        order = sorted([(not main, -cand.prior, -cand.population, n, cand, main)
                        for n, (cand, main) in enumerate(found)])
        return [(cand, main) for _, _, _, _, cand, main in order]  # (not *_: it builds a list per item)

    def _loose_ids(self, key: str, lkey: str | None = None) -> str:
        # Loose fallback: places whose loose key differs from their exact key sit under
        # "~key"; places whose exact key already is the loose form sit under the key itself.
        # Both callers ask only after the exact key found nothing: an unchanged key needs no second look.
        if lkey is None:
            lkey = self._loose(key)
        tilde, plain = self._ids("~" + lkey), self._ids(lkey) if lkey != key else None
        return f"{tilde},{plain}" if tilde and plain else tilde or plain or ""

    def _loose(self, key: str) -> str:
        """``loose(key)`` from the memoised loose forms of its words (speed: loose() changes each
        word alone, after dropping articles from a name of several words)."""
        words = key.split()
        if words[1:]:
            words = [w for w in words if w not in _ARTICLES] or words
        memo = self._loose_words
        for n, word in enumerate(words):
            if word in memo:
                words[n] = memo[word]
            else:
                if len(memo) > 100_000:
                    memo.clear()
                words[n] = memo[word] = loose(word)
        return " ".join(words)

    def may_match(self, key: str, known: frozenset[str] = frozenset()) -> bool:
        """False when no name with all of ``key``'s words can match: a cheap gate before the
        lookups of a longer name that contains these words (no word of any exact or loose key is
        a word of the key, in the key's form nor in its loose form). Articles, the Arabic head words
        respelled by ``matches_for_key``, st/mt/ft (expanded in longer names) and the caller's
        ``known`` words never close it."""
        bits = self._words
        if bits is None:
            bits = self._words = self._index_words()
        memo = self._loose_words  # loose forms of words, shared with _loose
        for word in key.split():
            if word in _FREE_WORDS or word in known:
                continue
            h = hash(word) & _WORD_BITS
            if not bits[h >> 3] >> (h & 7) & 1:
                if word in memo:
                    lword = memo[word]
                else:
                    if len(memo) > 100_000:
                        memo.clear()
                    lword = memo[word] = loose(word)
                h = hash(lword) & _WORD_BITS
                if not bits[h >> 3] >> (h & 7) & 1:
                    return False
        return True

    def _index_words(self) -> bytearray:
        """A bit per word hash, like a Bloom filter with one hash: 2 MB where a set of the ~650k
        words took 58 MB; a collision (3% of bits are set) only lets a lookup through."""
        bits = bytearray((_WORD_BITS + 1) >> 3)
        keys = [*self._sorted[1 : self._count + 1], *self._names]
        for i in range(0, len(keys), 50_000):  # in slices: all words at once would briefly take ~90 MB
            for h in map(hash, set(" ".join(keys[i : i + 50_000]).replace("~", "").split())):
                h &= _WORD_BITS
                bits[h >> 3] |= 1 << (h & 7)
        return bits

    def _index_keys(self) -> bytearray:
        """A bit per key hash (``~`` stripped, so a loose form finds the bit of its "~" key): a
        clear bit means no key, exact or loose, is that string (2 MB; ~5% of bits are set)."""
        bits = bytearray((_WORD_BITS + 1) >> 3)
        # The "~" keys sort after all others: one slice each, no test per key (a one-off ~0.3 s).
        tilde = bisect_left(self._sorted, "~", 1, self._count + 1)
        plain, loose_keys = self._sorted[1:tilde], self._sorted[tilde : self._count + 1]
        extra = [key[1:] if key[0] == "~" else key for key in self._names]
        for h in chain(map(hash, plain), map(hash, [key[1:] for key in loose_keys]), map(hash, extra)):
            h &= _WORD_BITS
            bits[h >> 3] |= 1 << (h & 7)
        return bits

    def candidates_for_key(self, key: str) -> list[Candidate]:
        """Candidates under a normalised key: main-name matches first, each group best prior first."""
        return [cand for cand, _ in self.matches_for_key(key)]

    def lookup(self, name: str, country: str | None = None) -> list[Candidate]:
        """Places called ``name`` (any spelling variant), best prior first; optionally one country."""
        found = self.candidates_for_key(normalise(name))
        if country:
            found = [c for c in found if c.country == country.upper()]
        return found

    def admin1(self, country: str | None, code: str | None) -> Candidate | None:
        """The admin1 place of a code, e.g. ('US', 'WV') -> West Virginia."""
        if not country or not code:
            return None
        if not self._admin1_names:
            for index, row in enumerate(self._rows):
                parts = row.split("\t", 4)
                if parts[1] == "admin1":
                    self._admin1_names.setdefault((parts[2], parts[3]), index)
        index = self._admin1_names.get((country, code))
        return None if index is None else self.candidate(index)

    def admin1_name(self, country: str | None, code: str | None) -> str | None:
        """Readable name of an admin1 code, e.g. ('SY', '04') -> 'Ar Raqqah'."""
        cand = self.admin1(country, code)
        return cand.name if cand else None

    def country(self, iso2: str) -> Candidate | None:
        for cand in self.lookup(iso2_name(iso2) or iso2):
            if cand.feature == "country" and cand.country == iso2:
                return cand
        return None


def _shift(item: str, offset: int) -> str:
    return f"+{int(item[1:]) + offset}" if item.startswith("+") else str(int(item) + offset)


_ISO2_NAMES: dict[str, str] = {}


def iso2_name(iso2: str) -> str | None:
    """Name of a country by ISO2 code (from the packaged data)."""
    if not _ISO2_NAMES:
        gaz = get()
        for row in gaz._rows:
            parts = row.split("\t", 8)
            if parts[1] == "country":
                _ISO2_NAMES.setdefault(parts[2], parts[7])
    return _ISO2_NAMES.get(iso2)


def user_dir() -> Path:
    """Where imported GeoNames dumps live: $SITROOM_HOME/gazetteer or ~/.local/share/sitroom/gazetteer."""
    home = os.environ.get("SITROOM_HOME")
    base = Path(home) if home else Path.home() / ".local" / "share" / "sitroom"
    return base / "gazetteer"


_LOCK = threading.Lock()
_INSTANCE: Gazetteer | None = None


def get() -> Gazetteer:
    """The process-wide gazetteer (packaged data + imported dumps), loaded on first use."""
    global _INSTANCE
    if _INSTANCE is None:
        with _LOCK:
            if _INSTANCE is None:
                gaz = Gazetteer.load(DATA_DIR)
                for folder in _user_folders():
                    gaz.add_dir(folder)
                _INSTANCE = gaz
    return _INSTANCE


def reset() -> None:
    """Forget the loaded gazetteer (tests, or after importing a dump in a running process)."""
    global _INSTANCE
    with _LOCK:
        _INSTANCE = None
    _ISO2_NAMES.clear()


def _user_folders() -> list[Path]:
    root = user_dir()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / "places.tsv.gz").is_file() and (p / "names.tsv.gz").is_file())


# -- writing data folders (build script and dump import) -------------------------------------

_LATIN_OK = re.compile(r"^[\sA-Za-z0-9\u00C0-\u024F\u1E00-\u1EFF'’‘ʻʼʿʾ`´.,()/&-]+$")


def is_latin(name: str) -> bool:
    """Latin-script names only: other scripts never occur in English text we analyse."""
    return bool(_LATIN_OK.match(name))


def name_keys(name: str) -> tuple[str, str] | None:
    """(exact key, loose key) under which a name is indexed, or None for an unusable name."""
    if not is_latin(name) or len(name) > 60:
        return None
    key = normalise(name)
    if len(key) < 3 or key.isdigit():
        return None
    return key, loose(key)


def write_folder(folder: Path, places: list[tuple], names: dict[int, list[str]],
                 extra_keys: dict[int, list[str]] | None = None, all_main: set[int] | None = None) -> None:
    """Write ``places`` (rows as in the module docstring) and their names as a data folder.

    ``names`` maps a place index to its names, the main name first (filtered by ``name_keys``);
    ids reached only through another name are written with a '+' mark. ``extra_keys`` maps a
    place index to keys indexed verbatim as main names (short forms such as 'us'); every name of
    a place in ``all_main`` counts as main (countries and provinces: their aliases are curated).
    """
    folder.mkdir(parents=True, exist_ok=True)
    priors = [_prior_of(row) for row in places]
    index: dict[str, dict[int, bool]] = {}

    def put(key: str, i: int, main: bool) -> None:
        slot = index.setdefault(key, {})
        slot[i] = slot.get(i, False) or main

    for i, row_names in names.items():
        main_keys = name_keys(row_names[0]) if row_names else None
        for name in row_names:
            keys = name_keys(name)
            if not keys:
                continue
            main = (main_keys is not None and keys[0] == main_keys[0]) or (all_main is not None and i in all_main)
            put(keys[0], i, main)
            if keys[1] != keys[0]:
                put("~" + keys[1], i, main)
    for i, keys in (extra_keys or {}).items():
        for key in keys:
            put(key, i, True)
    write_gz(folder / "places.tsv.gz", "".join("\t".join(_cell(v) for v in row) + "\n" for row in places))
    # Keys block then ids block (line-aligned): a sorted list searched with bisect loads much
    # faster than a dict of a million keys.
    keys = sorted(index)
    parts = [f"{len(keys)}\n", "".join(f"{key}\n" for key in keys)]
    for key in keys:
        ids = sorted(index[key].items(), key=lambda im: -priors[im[0]])
        parts.append(",".join(str(i) if main else f"+{i}" for i, main in ids) + "\n")
    write_gz(folder / "names.tsv.gz", "".join(parts))


def write_gz(path: Path, text: str) -> None:
    """Gzip with no time stamp or file name in the header: the same data gives the same bytes,
    so a rebuild does not churn the committed files."""
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as fh:
        fh.write(text.encode("utf-8"))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.5f}".rstrip("0").rstrip(".")
    return str(value).replace("\t", " ")


def _prior_of(row: tuple) -> float:
    feature, pop = row[1], int(row[6] or 0)
    return FEATURE_PRIOR.get(feature, 0.0) * 1e9 + pop


# GeoNames feature class/code -> our feature names.
def geonames_feature(fclass: str, fcode: str, population: int) -> str | None:
    if fcode.startswith("PCL"):
        return "country"
    if fcode == "ADM1":
        return "admin1"
    if fcode == "ADM2":
        return "admin2"
    if fclass == "P":
        return populated_feature(population)
    if fclass == "H":
        return "water"
    if fclass in ("L", "T"):
        return "region"
    if fclass == "S":
        return "site"
    return None


def populated_feature(population: int) -> str:
    if population >= 10000:
        return "city"
    if population >= 1000:
        return "town"
    return "village"


def import_geonames_dump(path: str | Path, dest: str | Path | None = None) -> Path:
    """Import a GeoNames dump (``IQ.txt``: tab-separated standard GeoNames columns) as a data
    folder under ``dest`` (default ``user_dir()``), named after the file. ``get()`` loads it
    next time (call ``reset()`` in a running process). Returns the folder written."""
    src = Path(path)
    folder = Path(dest) if dest else user_dir()
    folder = folder / src.stem
    places: list[tuple] = []
    names: dict[int, list[str]] = {}
    opener = gzip.open if src.suffix == ".gz" else open
    with opener(src, "rt", encoding="utf-8") as fh:  # type: ignore[operator]
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 15 or not cols[0].isdigit():
                continue
            population = int(cols[14] or 0)
            feature = geonames_feature(cols[6], cols[7], population)
            if feature is None:
                continue
            names[len(places)] = [cols[1], cols[2], *(a for a in cols[3].split(",") if a)]
            places.append((int(cols[0]), feature, cols[8], cols[10], float(cols[4]), float(cols[5]),
                           population, cols[1]))
    write_folder(folder, places, names)
    return folder
