"""Attribution: who a sentence's content is attributed to ("according to X", "X said", "X told").

Shared by quotes (speaker of a quote) and figures (source of a number).

Rule-based, no statistical model: a cue verb is found with one compiled regex, then the source
noun phrase is read from the tokens around it:

* ``according to (the) X`` and inverted ``"...," said X`` read the phrase forwards;
* ``X said`` / ``X, ROLE, told`` read it backwards from the cue, skipping adverbs and
  auxiliaries ("has", "recently", "now") and taking a comma-delimited appositive as the role.

Leading ranks and titles ("Lieutenant General", "Defense Secretary") move from the name to the
role; a trailing appositive ("spokesperson for the elite Counter Terrorism Service") is role too.
Pronoun subjects ("he said") come back with ``kind == "pronoun"`` for the quotes stage to resolve.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from operator import attrgetter

from .model import Parsed, Sentence
from .textmatch import length_automaton


@dataclass(frozen=True, slots=True)
class Attribution:
    name: str  # the source as written, trimmed of articles: "UN", "Save the Children", "Sabah al-Numan"
    role: str | None  # "spokesperson for the elite Counter Terrorism Service", "Lieutenant General ..."
    cue: str  # the attribution words: "according to", "said", "told", "said in a statement", "believes"
    name_start: int  # offsets of the name in parsed.text
    name_end: int
    cue_start: int
    cue_end: int
    # "name" (a proper name or organisation), "pronoun" ("he", "they": resolve from context),
    # "role" (a common noun phrase only: "the spokesman", "officials", "a source").
    kind: str = "name"


_CUE_VERBS = (
    "said|says|say|told|tells|added|adds|stated|states|reported|reports|claimed|claims|believes|believe|"
    "believed|estimated|estimates|estimate|explained|noted|notes|warned|warns|announced|confirmed|wrote|writes|"
    "tweeted|continued|insisted|argued|concluded|acknowledged|asserted|declared|stressed|urged|alleged|"
    "revealed|disclosed|predicted|cautioned|recalled|remarked|commented|observed|testified|conceded|"
    "admitted|emphasised|emphasized|suggested|maintained|replied|responded|recounted|explains|argues|asked|asks|"
    "demanded|shouted|sings|sang|chanted|boasted|scolded|joked|quipped|pleaded|yelled|posted|recalls|"
    "Said|Says"  # "Said Ellis: “...”"
)
_CUE = re.compile(
    rf"\b(?:(?P<acc>[Aa]ccording to)|(?P<quoted>(?:was|were|is|are) quoted as saying)|(?P<verb>{_CUE_VERBS}))\b"
    r"(?!\s+(?:responsibility|credit)\b)"  # "claimed responsibility" is a claim of an act, not a source
    # A cue often carries the channel: "said in a statement", "told reporters in an interview".
    r"(?P<ext>\s+(?:in|on|during)\s+(?:a|an|its|his|her|their|the)\s+(?:[\w\-]+\s+)?"
    r"(?:statement|interview|tweet|post|press conference|news conference|briefing|report|speech))?"
)

# Tokens: abbreviations ("U.S.", "Gen.", "J."), words with inner hyphens/apostrophes, or one symbol.
_ABBR = (
    r"Gen|Lt|Col|Maj|Brig|Capt|Sgt|Cpl|Pvt|Adm|Cmdr|Cdr|Gov|Sen|Rep|Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Rev|Hon|Pres|Spc|Lt\.Col"
)
_TOKEN = re.compile(rf"(?:[A-Z]\.){{2,}}|(?:{_ABBR})\.|[A-Z]\.(?=\s)|\w[\w'’\-]*|\S")
# Every non-space character belongs to a token and no token holds a space, so the tokens with
# the whitespace before each are the same tokens, found by ``findall`` (no match objects).
_SPACED_TOKEN = re.compile(rf"(\s*)({_TOKEN.pattern})")

_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you"}
# Between subject and cue: "has said", "recently told", "now believes", "had earlier said".
_SKIP = {
    "has", "have", "had", "also", "recently", "now", "later", "earlier", "previously", "further", "reportedly",
    "then", "again", "separately", "publicly", "privately", "repeatedly", "once", "initially", "first",
    "would", "will", "may", "might", "could", "can", "did", "does", "do", "subsequently", "already",
    "last", "often", "frequently", "simply", "flatly", "firmly", "angrily", "quietly", "bluntly",
}
_PASSIVE = {"was", "were", "is", "are", "be", "been", "being", "am", "'s", "’s"}
_DETERMINERS = {"the", "a", "an", "another", "his", "her", "its", "their", "our", "my", "one", "two", "three",
                "several", "some", "many", "local", "senior", "other", "both", "all", "most", "these", "those",
                "this", "any", "each", "no", "few", "top"}
_PARTICLES = {"of", "for", "al", "el", "bin", "ibn", "bint", "abu", "abd", "de", "du", "da", "van", "von", "der",
              "la", "le", "di", "del", "y", "&", "and", "-", "–"}
# Common nouns that head a source phrase without a proper name: "officials said", "witnesses told".
_SOURCE_NOUNS = {
    "official", "officials", "source", "sources", "spokesman", "spokeswoman", "spokesperson", "spokespeople",
    "witness", "witnesses", "resident", "residents", "police", "authorities", "ministry", "military", "army",
    "government", "agency", "statement", "report", "doctor", "doctors", "medic", "medics", "activist",
    "activists", "monitor", "observatory", "group", "coalition", "organisation", "organization", "commander",
    "commanders", "officer", "officers", "experts", "expert", "analyst", "analysts", "diplomat", "diplomats",
    "media", "television", "tv", "newspaper", "council", "committee", "office", "ruling", "court",
    "militants", "rebels", "fighters", "forces", "troops", "people", "survivors", "relatives",
    "villagers", "leaders", "leader", "minister", "president", "governor", "mayor", "chief", "head", "aide",
    "aides", "lawmakers", "senator", "lawyer", "lawyers", "researchers", "researcher", "worker", "workers",
    "staff", "campaign", "department", "service", "team", "charity", "union", "eyewitnesses",
    "journalist", "journalists", "reporter", "reporters", "correspondent", "businessman", "candidate",
    "nominee", "father", "mother", "son", "daughter", "wife", "husband", "brother", "sister", "article",
    "study", "data", "figures", "estimates", "statistics",
}
# Ranks and titles that precede a name and belong to the role, not the name.
TITLES = {
    "general", "gen.", "lieutenant", "lt.", "colonel", "col.", "major", "maj.", "brigadier", "brig.", "captain",
    "capt.", "sergeant", "sgt.", "corporal", "cpl.", "private", "pvt.", "spc.", "admiral", "adm.", "commander",
    "cmdr.", "cdr.", "commodore", "marshal", "field", "rear", "vice", "president", "prime", "minister",
    "secretary", "senator", "sen.", "representative", "rep.", "governor", "gov.", "spokesman", "spokeswoman",
    "spokesperson", "ambassador", "chancellor", "king", "queen", "prince", "princess", "emir", "sheikh",
    "judge", "justice", "mayor", "chief", "deputy", "special", "envoy", "director", "chairman", "chairwoman",
    "chair", "head", "leader", "officer", "petty", "staff", "senior", "foreign", "defence", "defense",
    "interior", "health", "finance", "home", "state", "army", "navy", "air", "force", "marine", "police",
    "commissioner", "inspector", "superintendent", "economist", "analyst", "professor", "prof.", "coordinator",
    "rapporteur", "ayatollah", "imam", "cleric", "bishop", "archbishop", "pope", "first",
    "executive", "operator", "class", "1st", "2nd", "3rd", "warrant", "press", "chief-of-staff", "advisor",
    "adviser", "pentagon", "commanding", "u.s.", "us", "un", "u.n.", "white", "house", "attorney",
    "speaker", "majority", "minority", "whip", "sec.", "dep.", "amb.", "pres.",
}
_HONORIFICS = {"mr.", "mrs.", "ms.", "dr.", "miss", "mr", "mrs", "ms", "dr"}
_CLAUSE_STOP = {",", ";", ":", "(", ")", "“", "”", '"', "‘", "’", "—", "–", ".", "!", "?", "[", "]"}
_FORWARD_STOP = {"that", "which", "who", "whom", "in", "on", "at", "during", "when", "while", "as", "after",
                 "before", "since", "because", "but", "to", "with", "from", "by", "about", "last", "this",
                 "earlier", "later", "yesterday", "today", "tonight", "is", "are", "was", "were", "has", "have",
                 "had", "there", "it", "he", "she", "they", "we", "adding", "saying", "told", "said", "citing"}
# "a statement from the ministry": the source is the ministry.
_CARRIER = re.compile(
    r"(?:a|an|the)\s+(?:\w+\s+)?(?:statement|report|figures|data|estimates?|tally|count|toll|survey|assessment|"
    r"count|study|post|tweet)\s+(?:from|by|of|released by|issued by)\s+(?:the\s+)?",
    re.I,
)


class _Tok:
    """One token; lower-case form and capitalisation are derived on demand (most are never asked)."""

    __slots__ = ("end", "start", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end

    @property
    def low(self) -> str:
        return self.text.lower()

    @property
    def cap(self) -> bool:
        return _capitalised(self.text)


class _NameTok(_Tok):
    """A token whose lower-case form and capitalisation are computed at once: for capitalised
    stretches, where every token is asked both (hand-written for measured speed)."""

    __slots__ = ("cap", "low")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.low = text.lower()
        self.cap = _capitalised(text)


def _capitalised(text: str) -> bool:
    first = text[:1]
    if first.isupper():
        return True
    # Arabic names keep a lowercase article: "al-Assadi", "el-Sisi", "al-Hadath".
    if first.islower():
        return bool(_ARTICLE_NAME.match(text))
    return first.isdigit() and any(c.isalpha() for c in text)


_ARTICLE_NAME = re.compile(r"(?:al|el|as|ash|ad|an|ar|at|az|ath|bin|ibn|abu|bani)-[A-Z]")


def _tokens(text: str, start: int, end: int, make: type[_Tok] = _Tok) -> list[_Tok]:
    """The tokens of ``text[start:end]`` with their offsets (hand-written for measured speed:
    offsets are summed from the lengths ``findall`` gives, and ``append`` is bound once: half
    the time of match objects)."""
    found: list[_Tok] = []
    append = found.append
    pos = start
    for space, token in _SPACED_TOKEN.findall(text, start, end):
        pos += len(space)
        append(make(token, pos, pos + len(token)))
        pos += len(token)
    return found


_START = attrgetter("start")


# Actors, quotes, figures and events all ask for the same sentences' attributions: they are
# read once per document. Only the document being analysed is kept (attributions are frozen;
# callers get their own list).
_memo: tuple[Parsed | None, dict[Sentence, list[Attribution]]] = (None, {})


def find_attributions(parsed: Parsed, sentence: Sentence) -> list[Attribution]:
    """Every attribution cue in one sentence with its source, in text order."""
    global _memo
    owner, memo = _memo
    if owner is not parsed:
        memo = {}
        _memo = (parsed, memo)
    found = memo.get(sentence)
    if found is None:
        found = memo[sentence] = _find_attributions(parsed, sentence)
    return list(found)


# Where a cue can start, found once per document (hand-written for measured speed: the cue
# pattern scanned every sentence). Every match of ``_CUE`` holds one of these literals at a
# known distance after its start: a verb at 0, "ccording to" at 1, "quoted as saying" after
# "was ", "were ", "is " or "are ".
_CUE_TRIGGERS = length_automaton([*_CUE_VERBS.split("|"), "ccording to", "quoted as saying"])
_BACK = {"ccording to": (1,), "quoted as saying": (3, 4, 5)}
_cue_memo: tuple[str | None, list[int]] = (None, [])


def _cue_starts(text: str) -> list[int]:
    global _cue_memo
    if _cue_memo[0] is not text:
        starts: set[int] = set()
        for end, length in _CUE_TRIGGERS.iter(text):
            at = end - length + 1
            back = _BACK.get(text[at : end + 1], (0,)) if length > 10 else (0,)
            starts.update(at - b for b in back)
        _cue_memo = (text, sorted(starts))
    return _cue_memo[1]


def _cues(text: str, start: int, end: int) -> list[re.Match[str]]:
    """``list(_CUE.finditer(text, start, end))``, tried only where a trigger says a cue can start."""
    starts = _cue_starts(text)
    found = []
    pos = start
    for at in starts[bisect_left(starts, start) : bisect_left(starts, end)]:
        if at >= pos:
            m = _CUE.match(text, at, end)
            if m is not None:
                found.append(m)
                pos = m.end()
    return found


def _find_attributions(parsed: Parsed, sentence: Sentence) -> list[Attribution]:
    text = parsed.text
    cues = _cues(text, sentence.start, sentence.end)
    if not cues:
        return []  # most sentences: no tokenising at all
    # Sources sit within a few dozen words of their cue: long sentences are tokenised in a window.
    toks = _tokens(text, max(sentence.start, cues[0].start() - 300), min(sentence.end, cues[-1].end() + 300))
    found: list[Attribution] = []
    for m in cues:
        i = bisect_left(toks, m.start(), key=_START)
        if i == len(toks) or toks[i].start != m.start():
            continue
        cue_end = m.end()
        cue = " ".join(text[m.start() : cue_end].split()).lower()  # "According to" -> "according to"
        j = _token_after(toks, cue_end)
        if m.group("acc"):
            att = _forward(text, toks, j, cue, m.start(), cue_end, sentence)
            if att is not None and att.kind == "role" and not _source_head(att.name):
                att = None  # "according to a strict timetable" names no source
        elif j < len(toks) and toks[j].low == "by" and not m.group("ext"):
            # Passive agent: "as reported by SOHR", "was confirmed by the ministry".
            att = _forward(text, toks, j + 1, cue, m.start(), cue_end, sentence)
        elif _noun_cue(toks, i, j):
            att = None
        else:
            att = _backward(text, toks, i, cue, m.start(), cue_end)
            # "told X" names the audience, never the speaker.
            if att is None and m.group("verb") not in ("told", "tells") and _inverted_ok(toks, i):
                att = _forward(text, toks, j, cue, m.start(), cue_end, sentence)
        if att is not None:
            found.append(att)
    return found


_NOUN_CUES = {"reports", "estimates", "claims", "notes", "states", "estimate", "claim", "report"}
_NOUN_CUE_NEXT = {"say", "says", "said", "suggest", "suggests", "suggested", "indicate", "indicated", "show",
                  "showed", "shows", "put", "of", "from", "by", "on", "are", "were", "was", "is", "have", "had"}


def _noun_cue(toks: list[_Tok], i: int, j: int) -> bool:
    """"Syrian reports say", "local estimates put": the cue word is a noun there, not a verb."""
    if toks[i].low not in _NOUN_CUES:
        return False
    if j < len(toks) and toks[j].low in _NOUN_CUE_NEXT:
        return True
    # "local reports", "official estimates" (lower-case adjectives; "Amnesty International reports" is a verb)
    return i > 0 and ((not toks[i - 1].cap and _adjective(toks[i - 1].low)) or toks[i - 1].low == "as")


def _source_head(name: str) -> bool:
    head = name.split()[-1].lower() if name.split() else ""
    return head in _SOURCE_NOUNS or head.rstrip("s") in _SOURCE_NOUNS


def _token_after(toks: list[_Tok], pos: int) -> int:
    return bisect_left(toks, pos, key=_START)  # tokens are in text order


# ---------------------------------------------------------------------------------------------
# Backward reading: "Save the Children said", "Sabah al-Numan, spokesperson for ..., told"


def _backward(text: str, toks: list[_Tok], i: int, cue: str, cs: int, ce: int) -> Attribution | None:
    k = _skip_adverbials(toks, i - 1)
    if k < 0:
        return None
    if toks[k].low in _PASSIVE or toks[k].low in _DETERMINERS or toks[k].low in ("as", "’s", "'s"):
        return None  # "were reported killed", "an estimated 50,000", "the reported attack"
    if toks[k].text == ",":
        return _appositive(text, toks, k, cue, cs, ce)
    k = _skip_parenthesis(toks, k)
    span = _np_backward(toks, k)
    if span is None:
        return None
    a, b = span
    return _make(text, toks, a, b, None, cue, cs, ce)


_DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
         "march", "april", "june", "july", "august", "september", "october", "november", "december",
         "week", "month", "year", "weekend", "morning", "afternoon", "evening", "night"}


def _skip_adverbials(toks: list[_Tok], k: int) -> int:
    """Step back over "has", "recently", "on Thursday", "last week" between a subject and its cue."""
    while k >= 0:
        low = toks[k].low
        if low in _SKIP or low in ("yesterday", "today", "tonight"):
            k -= 1
        elif low in _DAYS and k >= 1 and toks[k - 1].low in ("on", "last", "this", "in", "late", "early"):
            k -= 2
        elif low in _DAYS and k >= 2 and toks[k - 1].low in ("this", "last") and toks[k - 2].low == "earlier":
            k -= 3
        else:
            break
    return k


def _appositive(text: str, toks: list[_Tok], comma: int, cue: str, cs: int, ce: int) -> Attribution | None:
    """``NAME, ROLE, cue``: the role lies between two commas, the name before the first."""
    k = comma - 1
    # A full stop inside an appositive is an abbreviation: "Mitch McConnell, R-Ky., said".
    while k >= 0 and (toks[k].text not in _CLAUSE_STOP or toks[k].text == "."):
        k -= 1
    if k < 0 or toks[k].text != "," or k == comma - 1 or comma - k > 16:
        return None
    role_toks = toks[k + 1 : comma]
    span = _np_backward(toks, _skip_parenthesis(toks, k - 1) if k > 0 else -1)
    if span is None:
        return None
    a, b = span
    if _is_person(role_toks) and not any(t.cap and not _common(t.low) for t in toks[a : b + 1]):
        # "The minister, Ali Nouri, said": the role comes first, the name between the commas.
        name_a, name_b = k + 1, comma - 1
        role_text = text[toks[a].start : toks[b].end]
        if toks[a].low == "the":
            role_text = text[toks[a + 1].start : toks[b].end] if a < b else role_text
        att = _make(text, toks, name_a, name_b, None, cue, cs, ce)
        if att is None:
            return None
        role = f"{role_text}, {att.role}" if att.role else role_text
        return Attribution(att.name, role, cue, att.name_start, att.name_end, cs, ce, att.kind)
    if not any(t.cap for t in toks[a : b + 1]) or toks[b].low in _PRONOUNS:
        return None
    role = text[role_toks[0].start : role_toks[-1].end]
    if role.lower().startswith(("who ", "which ")):
        role = role.split(" ", 1)[1]
    return _make(text, toks, a, b, role, cue, cs, ce)


def _determined(toks: list[_Tok], k: int) -> tuple[int, int] | None:
    """A common noun closed by a determiner or a possessive: "the letter", "Obama's former strategist"."""
    for j in range(k - 1, max(-1, k - 5), -1):
        t = toks[j]
        if t.low in ("the", "a", "an", "his", "her", "their", "its") or t.low.endswith(("'s", "’s")):
            a = j
            while a > 0 and t.low.endswith(("'s", "’s")) and toks[a - 1].cap and toks[a - 1].text not in _CLAUSE_STOP:
                a -= 1  # "Scott's niece": keep the possessor
            return a, k
        if t.cap or t.text in _CLAUSE_STOP or t.low in _PASSIVE or t.low in _SKIP or t.low in _FORWARD_STOP:
            return None
    return None


def _skip_parenthesis(toks: list[_Tok], k: int) -> int:
    """Step over a short parenthesis before the cue: "Rep. John Mica (R-Fla.) said"."""
    if toks[k].text != ")":
        return k
    for q in range(k - 1, max(-1, k - 8), -1):
        if toks[q].text == "(":
            return q - 1
    return k


def _np_backward(toks: list[_Tok], k: int) -> tuple[int, int] | None:
    """Token range (a, k) of the noun phrase that ends at token k, or None."""
    if k < 0:
        return None
    last = toks[k]
    if last.text in _CLAUSE_STOP or last.low in _PARTICLES:
        return None
    if last.low in _PRONOUNS:
        return k, k
    if not last.cap and last.low not in _SOURCE_NOUNS and last.low.rstrip("s") not in _SOURCE_NOUNS:
        return _determined(toks, k)
    a = k
    j = k - 1
    lowercase_run = 0
    while j >= 0:
        t = toks[j]
        if t.text in _CLAUSE_STOP or t.low in _PRONOUNS:
            break
        if t.cap:
            lowercase_run = 0
            a = j
        elif t.low in _PARTICLES and j > 0 and toks[j - 1].cap and (toks[a].cap or toks[a].low == "the"):
            a = j  # "Ministry of Health", "Chris Woods of Air Wars", "Abdul Ghani al-Assadi"
        elif t.low == "the" and toks[a].cap and j > 0 and _inner_article(toks, j):
            a = j  # "Save the Children", "Ministry of the Interior"
        elif t.low in _DETERMINERS:
            a = j
            break
        elif t.low in TITLES or t.low.rstrip("s") in _SOURCE_NOUNS or _adjective(t.low):
            lowercase_run += 1
            if lowercase_run > 3:
                break
            a = j
        else:
            break
        j -= 1
    # A lowercase run not closed by a determiner or a capitalised word is dropped again:
    # "the fight to free the city ... said" must not swallow verbs as adjectives.
    while a < k and not toks[a].cap and toks[a].low not in _DETERMINERS and toks[a].low not in TITLES:
        a += 1
    while a < k and toks[a].low in _PARTICLES:
        a += 1
    return a, k


def _inner_article(toks: list[_Tok], j: int) -> bool:
    """ "the" inside a name: "Save the Children", "Mr. Morgan of the Sierra Club", not "in Mosul the ..."."""
    prev = toks[j - 1]
    if prev.low in ("of", "for"):
        return j > 1 and toks[j - 2].cap
    return prev.cap and not (j > 1 and toks[j - 2].low in _PLACE_PREPOSITIONS)


_PLACE_PREPOSITIONS = {"in", "at", "on", "from", "near", "to", "into", "across", "outside", "inside", "of"}
_ADJ_SUFFIX = ("al", "ary", "ian", "ish", "ese", "an", "ic", "ive", "ior", "ent", "ant")


def _adjective(word: str) -> bool:
    return word.endswith(_ADJ_SUFFIX) and len(word) > 3 and word not in {"that", "than", "when"}


# ---------------------------------------------------------------------------------------------
# Forward reading: "according to the UN", "“...,” said Lieutenant General X, senior commander ..."


def _inverted_ok(toks: list[_Tok], i: int) -> bool:
    """Inverted attribution follows a quote or a comma: '“...,” said X' or '..., said X'."""
    k = i - 1
    if k < 0:
        return toks[i].text in ("Said", "Says")  # "Said Ellis: “...”"
    return toks[k].text in {",", "”", '"', "’", "—", "–"}


def _forward(
    text: str, toks: list[_Tok], j: int, cue: str, cs: int, ce: int, sentence: Sentence
) -> Attribution | None:
    if j >= len(toks):
        return None
    carrier = _CARRIER.match(text, toks[j].start, sentence.end)
    if carrier:
        j = _token_after(toks, carrier.end())
        if j >= len(toks):
            return None
    first = toks[j]
    if first.text in _CLAUSE_STOP or first.low in _TIME_WORDS:
        return None  # "said Tuesday" names a day, not a speaker
    if first.low in _PRONOUNS:
        return _make(text, toks, j, j, None, cue, cs, ce)
    b = j - 1
    k = j
    lowercase = 0
    while k < len(toks):
        t = toks[k]
        if t.text in _CLAUSE_STOP:
            break
        if t.cap:
            b = k
        elif t.low in _PARTICLES and k + 1 < len(toks) and toks[k + 1].cap and b >= j:
            pass  # "Syrian Observatory for Human Rights"
        elif t.low in _DETERMINERS and k == j:
            pass
        elif t.low in _FORWARD_STOP:
            break
        elif lowercase < 5 and not t.low.isdigit():
            lowercase += 1
            b = k
        else:
            break
        k += 1
    if b < j:
        return None
    role = None
    nxt = b + 1
    if nxt < len(toks) and toks[nxt].text == "(":  # "Rep. G.K. Butterfield (D-N.C.), head of ..."
        close = next((q for q in range(nxt, min(nxt + 8, len(toks))) if toks[q].text == ")"), None)
        if close is not None:
            nxt = close + 1
    if nxt < len(toks) and toks[nxt].text == ",":
        # A sentence that opens "According to X, ..." continues with its main clause, not a role.
        opening = not any(t.text.isalnum() for t in toks if sentence.start <= t.start < cs)
        role = _role_forward(text, toks, nxt + 1, enclosed=opening)
    return _make(text, toks, j, b, role, cue, cs, ce)


_TIME_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday",
    "tonight", "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "last", "earlier", "later", "this", "on", "in", "at", "during",
}
_ROLE_END = {";", ":", "(", "“", "”", '"', ".", "!", "?", "—"}


def _role_forward(text: str, toks: list[_Tok], k: int, enclosed: bool = False) -> str | None:
    """The appositive after a name: up to the next comma, or the end of the sentence."""
    start = k
    while k < len(toks) and toks[k].text != "," and toks[k].text not in _ROLE_END:
        k += 1
    if k == start or k - start > 20:
        return None
    role_toks = toks[start:k]
    if enclosed and not _looks_like_role(role_toks, toks, k):
        return None  # after a sentence-opening "According to X," comes the main clause, not a role
    if role_toks[0].text[:1].isdigit():
        return None  # "..., 5 people died": a clause, not a role
    # "on state television", "in a statement" after the comma is circumstance, not role.
    if role_toks[0].low in {"on", "in", "at", "during", "adding", "saying", "who", "which", "when"}:
        return None
    return text[role_toks[0].start : role_toks[-1].end]


def _looks_like_role(role: list[_Tok], toks: list[_Tok], k: int) -> bool:
    """"a local doctor," (then a comma): a short noun phrase with no verb or number in it."""
    if k >= len(toks) or toks[k].text != "," or len(role) > 8:
        return False
    if role[0].low not in ("a", "an", "the") and role[0].low not in TITLES:
        return False
    return not any(t.text[:1].isdigit() or (t.low.endswith("ed") and "-" not in t.low) for t in role[1:])


# ---------------------------------------------------------------------------------------------


def _make(
    text: str, toks: list[_Tok], a: int, b: int, role: str | None, cue: str, cs: int, ce: int
) -> Attribution | None:
    # Leading article off the name: "the UN" -> "UN".
    while a < b and toks[a].low in {"the"}:
        a += 1
    if toks[a].low in _PRONOUNS and a == b:
        return Attribution(toks[a].text, None, cue, toks[a].start, toks[a].end, cs, ce, "pronoun")
    a, b, role = _split_titles(text, toks, a, b, role)
    name_toks = toks[a : b + 1]
    if not name_toks:
        return None
    name = text[name_toks[0].start : name_toks[-1].end]
    kind = "name" if any(t.cap for t in name_toks if not _common(t.low) or t.text.isupper()) else "role"
    if kind == "role" and role is None:
        role = name
    return Attribution(name, role, cue, name_toks[0].start, name_toks[-1].end, cs, ce, kind)


_DESCRIBES_ORG = re.compile(
    r"(?:a|an|the)\s+(?:[\w\-]+\s+){0,2}(?:organi[sz]ation|group|monitor|charity|NGO|agency|watchdog|network|"
    r"project|body|coalition|alliance|non-?profit|campaign|think[ -]tank|firm|outlet|newspaper|website)\b",
    re.I,
)


def _common(low: str) -> bool:
    """A word that may be capitalised at a sentence start but names no one: "Officials", "The"."""
    return low in _DETERMINERS or low in _SOURCE_NOUNS or low.rstrip("s") in _SOURCE_NOUNS


def _split_titles(
    text: str, toks: list[_Tok], a: int, b: int, role: str | None
) -> tuple[int, int, str | None]:
    """Move leading ranks to the role and ``X of ORG`` to the role: names keep the person."""
    last_title = -1
    for k in range(a, b):
        if toks[k].low in TITLES:
            last_title = k
        elif not (toks[k].cap or _adjective(toks[k].low) or toks[k].low in _PARTICLES):
            break  # titles are a run of title words and capitalised qualifiers, nothing else
    roles: list[str] = []
    if last_title >= a and last_title < b and _is_person(toks[last_title + 1 : b + 1]):
        roles.append(text[toks[a].start : toks[last_title].end])
        a = last_title + 1
    # "Chris Woods of Air Wars": the person is named, the organisation is the role.
    of_org = False
    for k in range(a + 1, b):
        org = k + 2 if toks[k + 1].low == "the" and k + 2 <= b else k + 1
        if toks[k].low in {"of", "from", "with"} and _is_person(toks[a:k]) and toks[org].cap:
            roles.append(text[toks[org].start : toks[b].end])
            b = k - 1
            of_org = True
            break
    # "X of Airwars, an organisation monitoring strikes": the appositive describes the organisation.
    if role and not (of_org and _DESCRIBES_ORG.match(role)):
        roles.append(role)
    return a, b, ", ".join(roles) if roles else None


def _is_person(toks: list[_Tok]) -> bool:
    """Two to five capitalised tokens (with name particles): looks like a personal name."""
    caps = [t for t in toks if t.cap]
    if not 1 <= len(caps) <= 5:
        return False
    if caps[-1].low in TITLES or caps[-1].low in ORG_HEADS:
        return False
    return all(t.cap or t.low in _PARTICLES or t.low in _HONORIFICS for t in toks)


# Last words of organisation names ("Health Ministry", "Counter Terrorism Service"): never a person.
ORG_HEADS = {
    "ministry", "council", "service", "services", "forces", "force", "army", "party", "agency", "organization",
    "organisation", "committee", "front", "brigade", "brigades", "union", "university", "department", "office",
    "commission", "police", "government", "group", "movement", "coalition", "alliance", "network", "unit",
    "units", "battalion", "regiment", "division", "corps", "command", "guard", "guards", "navy", "watch",
    "institute", "foundation", "association", "federation", "authority", "administration", "bureau",
    "observatory", "centre", "center", "court", "embassy", "consulate", "parliament", "assembly", "senate",
    "congress", "cabinet",
    "tribunal", "program", "programme", "fund", "bank", "company", "corporation", "news", "times", "post",
    "tv", "television", "radio", "channel", "rights", "children", "international", "nations",
    "wars", "airwars", "militia", "militias", "state", "secretariat", "mission", "team", "crescent", "cross",
    "directorate", "board", "chamber", "syndicate", "club", "society", "league", "caucus", "trust", "wing",
    "squadron", "fleet", "ministries", "gendarmerie", "prosecutor's",
}
