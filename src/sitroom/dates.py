"""Dates: explicit and relative date expressions normalised against the publication date.

Rules (own regexes, no dateparser: it costs ~1 ms per expression and resolves "on Sunday"
to the previous week when the base date is itself a Sunday):

| expression                              | value            | precision |
| --------------------------------------- | ---------------- | --------- |
| "9 May 2020", "May 9, 2020", 2020-05-09 | 2020-05-09       | day       |
| "2 February، 2022" (Arabic comma)       | 2022-02-02       | day       |
| "9/5/2020" (see ``_numeric``)           | 2020-05-09       | day       |
| "May 9", "9 May" (no year)              | year of the nearest full date in the text, else of `published` | day |
| "May 2020"                              | 2020-05          | month     |
| "in October" (no year)                  | most recent October not after `published` | month |
| "summer of 2014", "last summer"         | 2014             | season    |
| "in 2014", "since 2014"                 | 2014             | year      |
| "Sunday", "on Sunday", "last Sunday"    | most recent Sunday before `published`   | day       |
|                                         | (`published` itself when a Sunday; "next Sunday" forward) |  |
| yesterday / today / last night / this morning / N days ago | published - n | day |
| last week / this week / N weeks ago     | its Monday, 2017-06-12 | week    |
| last month / earlier this month         | 2017-05 / 2017-06 | month    |
| last year / earlier this year           | 2016 / 2017      | year      |

Without a publication date, relative expressions are read against the nearest full date written
before them in the narrative (a title's "October 28, 2022", a first report's date), else against a
dateline segment at the top of the page ("2 February، 2022", metadata like a URL date, never
reported itself); with none of these they are skipped. A full date written after the expression is
not used: it is more often a back-reference ("On August 16, activists reported ...") than the base.
A day-month without a year is not given the latest year of the text: background years ("the
October 2019 offensive") would date it years off, and a wrong date forbids a link where no date
only weakens it.
A weekday is read as "the one the article reports", which is usually the past one: news is
written about what happened, and a same-day weekday means today.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from .model import DateRef, Mention, Parsed
from .textmatch import GatedPattern

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
# Month names must be capitalised ("May" the month, not "may" the verb); "May" alone is only a
# month when a number or year is attached, or after "in/since/...".
_MON = (
    r"(?P<{g}>(?-i:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec))\.?"
)
_WD_FULL = r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WD_PREFIX = rf"(?:(?:{_WD_FULL}|(?-i:Mon|Tue|Tues|Wed|Thu|Thurs|Fri|Sat|Sun))\.?,?\s+(?:the\s+)?)?"
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?P<{g}>(?:1[89]|20)\d\d)(?!\d)"
_NUM_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10,
}

_PATTERNS: list[tuple[str, str]] = [
    # Day ranges "2-3 May 2020" / "between 1 and 3 May 2020": the first day is the event's start.
    ("dmy", _WD_PREFIX + rf"\b(?P<d>[0-3]?\d){_ORD}(?:\s*(?:-|–|and|to)\s*[0-3]?\d{_ORD})?\s+(?:of\s+)?"
     + _MON.format(g="m") + r"[,،]?\s+" + _YEAR.format(g="y")),
    ("mdy", _WD_PREFIX + r"\b" + _MON.format(g="m") + rf"\s+(?P<d>[0-3]?\d){_ORD}(?:\s*(?:-|–)\s*[0-3]?\d)?[,،]?\s+"
     + _YEAR.format(g="y")),
    ("iso", r"\b(?P<y>(?:19|20)\d\d)-(?P<mo>[01]\d)-(?P<d>[0-3]\d)\b"),
    ("num", r"(?<![\d/.])(?P<a>[0-3]?\d)[/.](?P<b>[01]?\d)[/.](?P<y>(?:19|20)\d\d|\d\d)(?![\d/])"),
    ("dm", _WD_PREFIX + rf"\b(?P<d>[0-3]?\d){_ORD}\s+(?:of\s+)?" + _MON.format(g="m") + r"(?![a-z])"),
    ("md", _WD_PREFIX + r"\b" + _MON.format(g="m") + rf"\s+(?P<d>[0-3]?\d){_ORD}(?![\d:]|\s*(?:%|per|km|miles))\b"),
    ("my", r"\b(?:(?:early|mid|late|end\s+of|beginning\s+of)[-\s]+)?" + _MON.format(g="m") + r",?\s+(?:of\s+)?"
     + _YEAR.format(g="y")),
    ("season_y", r"\b(?P<s>spring|summer|autumn|fall|winter)\s+(?:of\s+)?" + _YEAR.format(g="y")),
    ("season_rel", r"\b(?P<rel>last|this|past)\s+(?P<s>spring|summer|autumn|winter)\b"),
    # The next patterns start at their key word (month, year, unit, weekday) and read the words
    # before it ("in", "last", "three ... ago") in code: a pattern that starts with "in" or "the"
    # would be tried at every preposition of the text.
    ("month_alone", r"\b(?:(?:early|mid|late)[-\s]+)?" + _MON.format(g="m") + r"\b(?!\s+\d)"),
    ("year", r"\b(?P<y>(?:19|20)\d\d)(?![\d,.]\d|s\b|\s*(?:people|civilians|persons|troops|"
     r"soldiers|fighters|km|kilometres|kilometers|miles|%|per\s+cent|percent|tonnes|tons))"),
    ("ago", r"\b(?P<u>day|week|month|year)s?\s+ago\b"),
    ("rel_day", r"\b(?P<w>yesterday|today|tonight|last\s+night|overnight|this\s+(?:morning|afternoon|evening))\b"),
    # A weekday followed by a full date is left to the date patterns ("Saturday, Dec. 14, 2019").
    ("weekday", r"\b(?P<wd>" + _WD_FULL + r")\b"
     r"(?!\.?,?\s+(?:the\s+)?(?:\d|(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)))"),
    ("rel_period", r"\b(?P<w>(?:earlier|later)\s+this\s+(?:week|month|year)|this\s+(?:week|month|year)|"
     r"(?:last|past|previous)\s+(?:week|month|year))\b"),
]
# Words before a key word, read backwards from it.
_MONTH_BEFORE = re.compile(r"\b(?:(?P<rel>last|this|past)|in|since|during|until|till|by|from|through|throughout|"
                           r"early|mid|late|end\s+of|beginning\s+of|start\s+of)[-\s]+(?:early\s+|mid-?|late\s+)?$",
                           re.I)
_YEAR_BEFORE = re.compile(r"\b(?:in|since|during|until|till|by|from|of|early|mid|late|before|after|through|"
                          r"throughout|between|the\s+year)[-\s]+$", re.I)
_AGO_BEFORE = re.compile(r"\b(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+$", re.I)
_WEEKDAY_BEFORE = re.compile(r"\b(?P<rel>last|next|this|on|early|late)\s+(?:on\s+)?$", re.I)
# The pattern names are prefixed to keep group names unique in one alternation.
_REGEX = GatedPattern.of_groups([(f"_{name}", pat.replace("(?P<", f"(?P<{name}_")) for name, pat in _PATTERNS],
                                "(?P<{name}>{pat})", re.I)
_ANCHOR_REACH = 200  # characters


def find_dates(parsed: Parsed) -> list[DateRef]:
    """Every date expression in narrative sentences, in text order."""
    pub = _parse_iso(parsed.published)
    raw: list[tuple[str, re.Match[str]]] = []
    for sentence in parsed.sentences:
        for match in _REGEX.finditer(parsed.text, sentence.start, sentence.end):
            kind = match.lastgroup[1:] if match.lastgroup else ""
            raw.append((kind, match))
    anchors = _full_dates(raw)
    found: list[DateRef] = []
    dateline = None if pub is not None else _dateline(parsed)
    for kind, match in raw:
        base = pub or _base_before(match.start(), anchors, dateline)
        ref = _resolve(kind, match, base, anchors, anchored=pub is None)
        if ref is not None:
            found.append(ref)
    return found


def _base_before(start: int, anchors: list[tuple[int, date]], dateline: date | None) -> date | None:
    """Without a publication date, relative words ("on Sunday", "yesterday") are read against the
    nearest full date written before them (a dateline, the title's date, the first report's date):
    news tells what happened before it was written, so a date written later in the text is more
    often a back-reference ("On August 16, activists reported ...") than the base."""
    before = [a for a in anchors if a[0] < start]
    if before:
        return before[-1][1]
    return dateline


# A segment that is only a date ("2 February، 2022", "Date: 2022-10-28") near the top is the
# page's dateline: metadata like a URL date, used as the base, never reported as a fact.
_DATELINE_LEN = 40


def _dateline(parsed: Parsed) -> date | None:
    for seg in parsed.segments[:4]:
        piece = parsed.text[seg.start : seg.end]
        if len(piece) > _DATELINE_LEN:
            continue
        for match in _REGEX.finditer(parsed.text, seg.start, seg.end):
            kind = match.lastgroup[1:] if match.lastgroup else ""
            if kind in ("dmy", "mdy", "iso"):
                return _explicit(kind, match)
    return None


def date_mentions(parsed: Parsed, found: list[DateRef]) -> list[Mention]:
    return [Mention("date", d.start, d.end, parsed.text[d.start : d.end], d.value) for d in found]


def _parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _g(match: re.Match[str], kind: str, name: str) -> str | None:
    return match.group(f"{kind}_{name}")


def _full_dates(raw: list[tuple[str, re.Match[str]]]) -> list[tuple[int, date]]:
    """Dates with a written year, used to give a year to "May 9" when there is no publication date."""
    out = []
    for kind, match in raw:
        if kind in ("dmy", "mdy", "iso"):
            day = _explicit(kind, match)
            if day:
                out.append((match.start(), day))
    return out


def _explicit(kind: str, match: re.Match[str]) -> date | None:
    try:
        if kind == "iso":
            return date(int(_g(match, kind, "y")), int(_g(match, kind, "mo")), int(_g(match, kind, "d")))
        month = _MONTHS[_g(match, kind, "m").lower().rstrip(".")]
        return date(int(_g(match, kind, "y")), month, int(_g(match, kind, "d")))
    except (ValueError, KeyError, TypeError):
        return None


def _span(match: re.Match[str], kind: str) -> tuple[int, int]:
    """The expression without a leading "on/in" preposition (kept out of the evidence)."""
    start, end = match.span(f"_{kind}")
    return start, end


def _resolve(kind: str, match: re.Match[str], pub: date | None, anchors: list[tuple[int, date]],
             anchored: bool = False) -> DateRef | None:
    """One expression as a date. ``pub`` is the base for relative words: the publication date, or
    when ``anchored`` a full date written before it in the text (see ``_base_before``)."""
    start, end = _span(match, kind)
    if kind in ("dmy", "mdy", "iso"):
        day = _explicit(kind, match)
        return DateRef(day.isoformat(), "day", start, end) if day else None
    if kind == "num":
        day = _numeric(match, pub, anchors)
        return DateRef(day.isoformat(), "day", start, end) if day else None
    if kind in ("dm", "md"):
        return _day_no_year(kind, match, None if anchored else pub, anchors, start, end)
    if kind == "my":
        month = _MONTHS[_g(match, kind, "m").lower().rstrip(".")]
        return DateRef(f"{int(_g(match, kind, 'y')):04d}-{month:02d}", "month", start, end)
    if kind == "season_y":
        return DateRef(_g(match, kind, "y"), "season", start, end)
    if kind == "year":
        if not _YEAR_BEFORE.search(match.string, max(0, start - 25), start):
            return None  # a bare number that looks like a year ("2014 people") is not a date
        return DateRef(_g(match, kind, "y"), "year", start, end)
    if pub is None:
        return None  # relative expressions need a base date
    return _relative(kind, match, pub, start, end)


def _numeric(match: re.Match[str], pub: date | None, anchors: list[tuple[int, date]]) -> date | None:
    """9/5/2020 is ambiguous: a part over 12 decides; otherwise the reading nearest the publication
    date (or another full date of the text) wins, day-first (the world's majority) on a tie."""
    a, b, y = int(_g(match, "num", "a")), int(_g(match, "num", "b")), int(_g(match, "num", "y"))
    if y < 100:
        y += 2000 if y < 50 else 1900
    readings = []
    for day, month in ((a, b), (b, a)):
        try:
            readings.append(date(y, month, day))
        except ValueError:
            continue
    if not readings:
        return None
    base = pub or (anchors[0][1] if anchors else None)
    if base is None or len(readings) == 1:
        return readings[0]
    return min(readings, key=lambda d: (abs((base - d).days) + (1000 if d > base else 0)))


def _day_no_year(kind: str, match: re.Match[str], pub: date | None, anchors: list[tuple[int, date]],
                 start: int, end: int) -> DateRef | None:
    month = _MONTHS[_g(match, kind, "m").lower().rstrip(".")]
    dnum = int(_g(match, kind, "d"))
    before = [a for a in anchors if a[0] <= start]
    # With nothing before it, only a close full date after it ("on 9 May and 12 May 2019"), not
    # background paragraphs further down ("the 28 January 2017 ceasefire") that would date it years off.
    close_after = [a for a in anchors if a[0] - start < _ANCHOR_REACH]
    anchors = before if pub is not None or before else close_after
    nearest = min(anchors, key=lambda a: abs(a[0] - start)) if anchors else None
    # The year of a full date of the same text: the nearest earlier one when there is no publication
    # date, only a close, earlier one otherwise (an article of 2020 may recall "9 May 2019" three
    # paragraphs earlier).
    use_anchor = nearest is not None and (pub is None or abs(nearest[0] - start) < _ANCHOR_REACH)
    if use_anchor:
        year = nearest[1].year
    elif pub is not None:
        year = pub.year
    else:
        return None
    try:
        day = date(year, month, dnum)
    except ValueError:
        return None
    if not use_anchor and pub is not None and day > pub + timedelta(days=60):
        # "December 3" in a January article is last December, not eleven months ahead.
        day = day.replace(year=year - 1) if not (month == 2 and dnum == 29) else day
    return DateRef(day.isoformat(), "day", start, end)


def _relative(kind: str, match: re.Match[str], pub: date, start: int, end: int) -> DateRef | None:
    if kind == "weekday":
        before = _WEEKDAY_BEFORE.search(match.string, max(0, start - 20), start)
        rel = before.group("rel").lower() if before else ""
        if rel in ("last", "next", "this"):
            start = before.start()  # "last Monday" is the expression
        target = _WEEKDAYS[_g(match, kind, "wd").lower()]
        if rel == "next":
            delta = (target - pub.weekday()) % 7 or 7
            return DateRef((pub + timedelta(days=delta)).isoformat(), "day", start, end)
        back = (pub.weekday() - target) % 7
        if rel == "last" and back == 0:
            back = 7
        return DateRef((pub - timedelta(days=back)).isoformat(), "day", start, end)
    if kind == "rel_day":
        words = _g(match, kind, "w").lower()
        if words.startswith(("yesterday", "last night", "overnight")):
            return DateRef((pub - timedelta(days=1)).isoformat(), "day", start, end)
        return DateRef(pub.isoformat(), "day", start, end)
    if kind == "ago":
        return _ago(match, pub, start, end)
    if kind == "rel_period":
        return _period(_g(match, kind, "w").lower(), pub, start, end)
    if kind == "month_alone":
        before = _MONTH_BEFORE.search(match.string, max(0, start - 30), start)
        prefixed = match.start() != match.start("month_alone_m")  # "mid-March"
        if before is None and not prefixed:
            return None  # "May" alone may be the verb; "Sunday, March" is handled elsewhere
        month = _MONTHS[_g(match, kind, "m").lower().rstrip(".")]
        rel = (before.group("rel") or "").lower() if before else ""
        if rel:
            start = before.start()  # "last October" is the expression
        year = pub.year if month <= pub.month else pub.year - 1
        if rel in ("last", "past") and month == pub.month:
            year -= 1
        return DateRef(f"{year:04d}-{month:02d}", "month", start, end)
    if kind == "season_rel":
        rel = _g(match, kind, "rel").lower()
        season = _g(match, kind, "s").lower()
        # A season is "past" this year once it has begun (spring 3, summer 6, autumn 9, winter 12).
        begins = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}[season]
        year = pub.year if (rel == "this" or pub.month >= begins) else pub.year - 1
        if rel in ("last", "past") and pub.month >= begins and pub.month < begins + 3:
            year -= 1  # we are in it: "last summer" is the one before
        return DateRef(str(year), "season", start, end)
    return None


def _ago(match: re.Match[str], pub: date, start: int, end: int) -> DateRef | None:
    before = _AGO_BEFORE.search(match.string, max(0, start - 12), start)
    if before is None:
        return None
    start = before.start()  # "three days ago" is the expression
    raw = before.group("n").lower()
    n = int(raw) if raw.isdigit() else _NUM_WORDS[raw]
    unit = _g(match, "ago", "u").lower()
    if unit == "day":
        return DateRef((pub - timedelta(days=n)).isoformat(), "day", start, end)
    if unit == "week":
        return DateRef(_week_start(pub - timedelta(weeks=n)), "week", start, end)
    if unit == "month":
        total = pub.year * 12 + pub.month - 1 - n
        return DateRef(f"{total // 12:04d}-{total % 12 + 1:02d}", "month", start, end)
    return DateRef(str(pub.year - n), "year", start, end)


def _period(words: str, pub: date, start: int, end: int) -> DateRef:
    last = words.startswith(("last", "past", "previous"))
    if words.endswith("week"):
        return DateRef(_week_start(pub - timedelta(weeks=1) if last else pub), "week", start, end)
    if words.endswith("month"):
        total = pub.year * 12 + pub.month - 1 - (1 if last else 0)
        return DateRef(f"{total // 12:04d}-{total % 12 + 1:02d}", "month", start, end)
    return DateRef(str(pub.year - 1 if last else pub.year), "year", start, end)


def _week_start(day: date) -> str:
    """A week as the ISO date of its Monday: a valid date for every consumer, "week" says the rest."""
    return (day - timedelta(days=day.weekday())).isoformat()
