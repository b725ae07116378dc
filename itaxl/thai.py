"""Thai digits, Buddhist-era dates, the fiscal year, and text clean-up.

Everything here is pure and small: no I/O, no third-party imports.

Vocabulary used across itaxl:

* a *year* is a Buddhist-era (B.E., พ.ศ.) year unless a name says ``ce``;
* the *fiscal year* ``fy`` (ปีงบประมาณ) B.E. runs from 1 October of ``fy - 1``
  to 30 September of ``fy``;
* a *round* (รอบ) is 6 (1 Oct – 31 Mar) or 12 (the whole fiscal year).

>>> to_arabic_digits("๑๓ มกราคม ๒๕๖๖")
'13 มกราคม 2566'
>>> parse_date("๓๑ มี.ค. ๖๕")
datetime.date(2022, 3, 31)
>>> format_date(datetime.date(2023, 1, 13))
'13 มกราคม 2566'
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
import re
import unicodedata

__all__ = [
    "BE_OFFSET",
    "THAI_DIGITS",
    "MONTHS_FULL",
    "MONTHS_ABBR",
    "ThaiDateError",
    "to_arabic_digits",
    "to_thai_digits",
    "be_to_ce",
    "ce_to_be",
    "fiscal_year_of",
    "fiscal_year_bounds",
    "round_bounds",
    "parse_date",
    "parse_period",
    "parse_number",
    "format_date",
    "clean_text",
]

BE_OFFSET = 543
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)

MONTHS_FULL = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
MONTHS_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)


class ThaiDateError(ValueError):
    """A text could not be read as a Thai date or period."""


# --------------------------------------------------------------------------- digits


def to_arabic_digits(text: str) -> str:
    """Replace Thai digits ๐–๙ with 0–9; everything else is kept."""
    return text.translate(_TO_ARABIC)


def to_thai_digits(text: str) -> str:
    """Replace 0–9 with Thai digits ๐–๙; everything else is kept."""
    return text.translate(_TO_THAI)


_LINK_OR_CODE = re.compile(r"\S*(?:://|www\.)\S*|[A-Za-z][\w.-]*\d[\w.-]*|\d+[A-Za-z][\w.-]*")


def thai_digits_in_text(text: str) -> str:
    """A person's text in Thai digits, as an official document writes it: its numbers and
    dates; links and codes with Latin letters (O43, e6, ISO 9001's ISO9001) as they are."""
    out, at = [], 0
    for m in _LINK_OR_CODE.finditer(text):
        out.append(to_thai_digits(text[at:m.start()]))
        out.append(m.group())
        at = m.end()
    out.append(to_thai_digits(text[at:]))
    return "".join(out)


# --------------------------------------------------------------------------- years


def be_to_ce(year: int) -> int:
    """Buddhist-era year to Common-era year (2566 → 2023)."""
    return year - BE_OFFSET


def ce_to_be(year: int) -> int:
    """Common-era year to Buddhist-era year (2023 → 2566)."""
    return year + BE_OFFSET


def fiscal_year_of(day: datetime.date) -> int:
    """The B.E. fiscal year a date falls in (1 Oct 2022 → 2566)."""
    return ce_to_be(day.year + (1 if day.month >= 10 else 0))


def fiscal_year_bounds(fy: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of B.E. fiscal year ``fy``."""
    ce = be_to_ce(fy)
    return datetime.date(ce - 1, 10, 1), datetime.date(ce, 9, 30)


def round_bounds(fy: int, round_: int) -> tuple[datetime.date, datetime.date]:
    """First and last day covered by a progress round (6 or 12 months)."""
    start, end = fiscal_year_bounds(fy)
    if round_ == 12:
        return start, end
    if round_ == 6:
        return start, datetime.date(be_to_ce(fy), 3, 31)
    raise ValueError(f"round must be 6 or 12, not {round_!r}")


# --------------------------------------------------------------------------- parsing

# Month spellings, longest first so that "มี.ค." wins over "มี".  Abbreviations are
# also accepted without dots or with spaces ("มี.ค", "มีค", "มี.ค .").
_MONTH_WORDS: list[tuple[str, int]] = []
for _i, (_full, _abbr) in enumerate(zip(MONTHS_FULL, MONTHS_ABBR), start=1):
    _bare = _abbr.replace(".", "")
    _MONTH_WORDS += [(_full, _i), (_abbr, _i), (_abbr.rstrip("."), _i), (_bare, _i)]
# Common misspellings and the older short forms seen in official documents.
_MONTH_WORDS += [("กรกฏาคม", 7), ("กุมภาพันธุ์", 2), ("พฤศจิกาย", 11)]
_MONTH_WORDS.sort(key=lambda pair: -len(pair[0]))
_MONTH_RE = "|".join(re.escape(word) for word, _ in _MONTH_WORDS)
_MONTH_OF = dict(_MONTH_WORDS)

_DAY_WORDS = r"(?:วันที่\s*)?"
_MONTH_PREFIX = r"(?:เดือน\s*)?"
_YEAR_PREFIX = r"(?:พ\.?\s?ศ\.?\s*)?"
_TEXT_DATE = re.compile(
    rf"^{_DAY_WORDS}(?P<d>\d{{1,2}})\s*{_MONTH_PREFIX}(?P<m>{_MONTH_RE})\s*{_YEAR_PREFIX}(?P<y>\d{{2}}|\d{{4}})$"
)
_MONTH_YEAR = re.compile(rf"^{_MONTH_PREFIX}(?P<m>{_MONTH_RE})\s*{_YEAR_PREFIX}(?P<y>\d{{2}}|\d{{4}})?$")
_NUMERIC_DATE = re.compile(r"^(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]00:00(?::00)?)?$")
# "ตลอดปี 64", "ตลอดปีงบประมาณ", and the bare "ปีงบประมาณ ๒๕๖๖" offices write for a whole-year plan.
_WHOLE_YEAR = re.compile(
    rf"^(?:ตลอด(?:ปี|ทั้งปี)(?:งบประมาณ)?\s*{_YEAR_PREFIX}(?P<y>\d{{2}}|\d{{4}})?"
    rf"|(?:ประจำ)?ปีงบประมาณ\s*{_YEAR_PREFIX}(?P<fy>\d{{2}}|\d{{4}}))$")
_WITHIN = re.compile(r"^(?:ภายใน|ก่อน|ไม่เกิน)\s*(?:วันที่\s*)?(?P<rest>.+)$")
_RANGE_SPLIT = re.compile(r"\s*(?:ถึง|[-–—~]|จนถึง)\s*")


def _year_ce(token: str) -> int:
    """A 2- or 4-digit year token to a C.E. year.

    Two digits are B.E. (๖๕ → 2565).  Four digits from 2400 are B.E.; 1900–2199
    are taken as C.E., which people sometimes type by habit.
    """
    value = int(token)
    if len(token) == 2:
        return be_to_ce(2500 + value)
    if value >= 2400:
        return be_to_ce(value)
    if 1900 <= value < 2200:
        return value
    raise ThaiDateError(f"year {token} is neither a B.E. nor a C.E. year")


def _make_date(year_ce: int, month: int, day: int, original: str) -> datetime.date:
    try:
        return datetime.date(year_ce, month, day)
    except ValueError as exc:
        raise ThaiDateError(f"{original!r} is not a calendar date ({exc})") from None


def _normalise(text: str) -> str:
    text = clean_text(to_arabic_digits(str(text)))
    return text.replace("\n", " ").strip().rstrip(",;")


def parse_date(text: str) -> datetime.date:
    """Read one day written the ways Thai offices write it.

    Accepts full or abbreviated month names (with or without dots), Thai or Arabic
    digits, 2- or 4-digit B.E. years (and 4-digit C.E. years), optional "วันที่",
    "เดือน" and "พ.ศ.", numeric day/month/year (day first, as in Thailand) and ISO
    dates.  Raises :class:`ThaiDateError` with the reason otherwise.

    >>> parse_date("วันที่ ๖ เดือน กุมภาพันธ์ พ.ศ. ๒๕๖๖")
    datetime.date(2023, 2, 6)
    >>> parse_date("1/10/2565")
    datetime.date(2022, 10, 1)
    """
    s = _normalise(text)
    if not s:
        raise ThaiDateError("empty date")
    if m := _TEXT_DATE.match(s):
        return _make_date(_year_ce(m["y"]), _MONTH_OF[m["m"]], int(m["d"]), s)
    if m := _ISO_DATE.match(s):
        return _make_date(int(m["y"]), int(m["m"]), int(m["d"]), s)
    if m := _NUMERIC_DATE.match(s):
        return _make_date(_year_ce(m["y"]), int(m["m"]), int(m["d"]), s)
    raise ThaiDateError(f"{s!r} is not a date (expected e.g. 13 มกราคม 2566, 31 มี.ค. 65 or 13/1/2566)")


def _parse_bound(
    s: str, *, end: bool, year_hint: str | None
) -> datetime.date:
    """One side of a period: a day, or a month (+year) taken at its first/last day."""
    try:
        return parse_date(s)
    except ThaiDateError:
        pass
    m = _MONTH_YEAR.match(s)
    if not m:
        raise ThaiDateError(f"{s!r} is neither a date nor a month")
    year = m["y"] or year_hint
    if year is None:
        raise ThaiDateError(f"{s!r} has no year")
    year_ce, month = _year_ce(year), _MONTH_OF[m["m"]]
    day = calendar.monthrange(year_ce, month)[1] if end else 1
    return datetime.date(year_ce, month, day)


def parse_period(text: str, fiscal_year: int | None = None) -> tuple[datetime.date, datetime.date]:
    """Read a period: a (start, end) pair of days, both inclusive.

    Forms: a range with "-", "–", "ถึง" ("ม.ค. 64 – มี.ค. 64", "ตุลาคม ๒๕๖๕ ถึง
    กันยายน ๒๕๖๖", "ม.ค. – ก.ย. 64", where a missing year is taken from the other
    side), "ตลอดปี 64" (the whole fiscal year), "ภายในเดือนเมษายน ๒๕๖๖" (from the
    start of the fiscal year, or of that month when the fiscal year is unknown, to
    the end of the month), one month, or one day.  A month whose year is missing
    is placed in ``fiscal_year`` when given (ต.ค.–ธ.ค. in its first calendar year).

    >>> parse_period("เดือน ต.ค. ๖๔ - ก.ย. ๖๕")
    (datetime.date(2021, 10, 1), datetime.date(2022, 9, 30))
    >>> parse_period("ตลอดปี 64")
    (datetime.date(2020, 10, 1), datetime.date(2021, 9, 30))
    """
    s = _normalise(text)
    if not s:
        raise ThaiDateError("empty period")
    if m := _WHOLE_YEAR.match(s):
        if year := m["y"] or m["fy"]:
            fy = 2500 + int(year) if len(year) == 2 else int(year)
        elif fiscal_year is not None:
            fy = fiscal_year
        else:
            raise ThaiDateError(f"{s!r} names no year")
        return fiscal_year_bounds(fy)
    if m := _WITHIN.match(s):
        end = _parse_bound(m["rest"], end=True, year_hint=_fy_year_hint(m["rest"], fiscal_year))
        if fiscal_year is not None:
            return min(fiscal_year_bounds(fiscal_year)[0], end), end
        return end.replace(day=1), end

    try:
        day = parse_date(s)
        return day, day
    except ThaiDateError:
        pass
    parts = [p for p in _RANGE_SPLIT.split(s) if p]
    if len(parts) == 1:
        only = parts[0]
        try:
            day = parse_date(only)
            return day, day
        except ThaiDateError:
            hint = _fy_year_hint(only, fiscal_year)
            return (_parse_bound(only, end=False, year_hint=hint),
                    _parse_bound(only, end=True, year_hint=hint))
    if len(parts) != 2:
        raise ThaiDateError(f"{s!r} is not a period (expected e.g. ต.ค. 65 – ก.ย. 66)")
    left, right = parts
    right_year = _trailing_year(right)
    left_year = _trailing_year(left)
    start = _parse_bound(left, end=False, year_hint=right_year or _fy_year_hint(left, fiscal_year))
    finish = _parse_bound(right, end=True, year_hint=left_year or _fy_year_hint(right, fiscal_year))
    if right_year and not left_year and start > finish:
        # "ต.ค. – ก.ย. 66": the start month belongs to the previous year.
        start = start.replace(year=start.year - 1)
    return start, finish


def _trailing_year(s: str) -> str | None:
    m = re.search(r"(\d{2}|\d{4})$", s)
    return m.group(1) if m and not re.fullmatch(r"\d{1,2}", s) else None


def _fy_year_hint(s: str, fiscal_year: int | None) -> str | None:
    """The B.E. year a bare month falls in, within a fiscal year."""
    if fiscal_year is None:
        return None
    m = _MONTH_YEAR.match(s)
    if not m:
        return None
    month = _MONTH_OF[m["m"]]
    return str(fiscal_year - 1 if month >= 10 else fiscal_year)


# --------------------------------------------------------------------------- dates inside text


@dataclasses.dataclass(frozen=True)
class TextDate:
    """A date or a month named inside a sentence: what it covers, and how it was written."""

    text: str               # as written
    start: datetime.date
    end: datetime.date      # the same day, or the month's last day
    deadline: bool          # written as a limit: "ภายใน…", "ก่อน…", "ไม่เกิน…"
    at: int = 0             # where it starts in the text


# A date in a sentence ends with its year: each 2- or 4-digit number is looked at, and
# the few characters before it must end with a month (and maybe a day) or "d/m/".
_YEAR_TOKEN = re.compile(r"(?<![\d/])(\d{4}|\d{2})(?![\d/])")
_BEFORE_YEAR = re.compile((  # within one line: a month at a line's end is not dated by the next line
    rf"(?P<limit>(?:ภายใน|ก่อน|ไม่เกิน)\s*)?(?:วันที่\s*)?"
    rf"(?:(?P<d>\d{{1,2}})\s*{_MONTH_PREFIX}(?P<dm>{_MONTH_RE})\s*{_YEAR_PREFIX}"
    rf"|{_MONTH_PREFIX}(?P<m>{_MONTH_RE})\s*{_YEAR_PREFIX}"
    rf"|(?<![\d/.])(?P<nd>\d{{1,2}})/(?P<nm>\d{{1,2}})/)$").replace(r"\s", r"[ \t]"))
_LOOK_BACK = 48  # "ภายในวันที่ 10 เดือน กุมภาพันธุ์ พ.ศ. " and a little more
_TWO_DIGITS = re.compile(r"\d\d")
# A month word that a Thai letter runs into is part of another word.
_THAI_LETTER = re.compile(r"[\u0e01-\u0e2e]")


def find_dates(text: str) -> list[TextDate]:
    """Every day and month (with its year) named in ``text``; bare years are not dates.

    Thai or Arabic digits, full or abbreviated month names, 2- or 4-digit B.E. years,
    day/month/year numbers.  What does not make a calendar date is skipped.

    >>> [(d.text, d.start.isoformat(), d.deadline) for d in find_dates("เสร็จภายในเดือนเมษายน ๒๕๖๖ และ ๑๐ ม.ค. 66")]
    [('ภายในเดือนเมษายน ๒๕๖๖', '2023-04-01', True), ('๑๐ ม.ค. 66', '2023-01-10', False)]
    """
    if not _TWO_DIGITS.search(text):  # every date names a year: most sentences stop here
        return []
    s = text  # \d and int() read Thai digits as they are: the dates keep the office's digits
    found = []
    for year in _YEAR_TOKEN.finditer(s):
        offset = max(0, year.start() - _LOOK_BACK)
        m = _BEFORE_YEAR.search(s, offset, year.start())
        if m is None:
            continue
        name = "dm" if m["dm"] else "m" if m["m"] else None
        if name and m.start(name) > 0 and _THAI_LETTER.match(s[m.start(name) - 1]) \
                and not s[:m.start(name)].endswith("เดือน"):
            continue  # a month word glued to the word before it is part of another word
        try:
            y = _year_ce(year.group())
            if m["d"]:
                start = end = _make_date(y, _MONTH_OF[m["dm"]], int(m["d"]), year.group())
            elif m["m"]:
                month = _MONTH_OF[m["m"]]
                start = datetime.date(y, month, 1)
                end = datetime.date(y, month, calendar.monthrange(y, month)[1])
            else:
                start = end = _make_date(y, int(m["nm"]), int(m["nd"]), year.group())
        except (ThaiDateError, ValueError):
            continue
        written = s[m.start():year.end()]
        found.append(TextDate(written.strip(), start, end, bool(m["limit"]), m.start() + len(written) - len(written.lstrip())))
    return found


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_number(text: str) -> float:
    """Read a number typed as text: Thai digits, thousands commas, a trailing "คะแนน" or "%".

    >>> parse_number("๘๕.๕๐")
    85.5
    """
    s = _normalise(text).replace(",", "").replace(" ", "")
    for suffix in ("คะแนน", "%"):
        s = s.removesuffix(suffix)
    if not _NUMBER.match(s):
        raise ValueError(f"{text!r} is not a number")
    return float(s)


# --------------------------------------------------------------------------- formatting


def format_date(
    day: datetime.date, *, abbreviated: bool = False, thai_digits: bool = False, era: bool = False
) -> str:
    """A date the Thai official way: "13 มกราคม 2566" (or "13 ม.ค. 2566", "๑๓ มกราคม พ.ศ. ๒๕๖๖").

    >>> format_date(datetime.date(2023, 1, 13), abbreviated=True, thai_digits=True)
    '๑๓ ม.ค. ๒๕๖๖'
    """
    month = (MONTHS_ABBR if abbreviated else MONTHS_FULL)[day.month - 1]
    text = f"{day.day} {month} {'พ.ศ. ' if era else ''}{ce_to_be(day.year)}"
    return to_thai_digits(text) if thai_digits else text


def format_period(start: datetime.date, end: datetime.date, *, thai_digits: bool = False) -> str:
    """A period as "1 ต.ค. 2565 – 31 มี.ค. 2566"."""
    return (f"{format_date(start, abbreviated=True, thai_digits=thai_digits)} – "
            f"{format_date(end, abbreviated=True, thai_digits=thai_digits)}")


# --------------------------------------------------------------------------- text

_SARA_AM_SPLIT = "\u0e4d\u0e32"  # NIKHAHIT + SARA AA, an old-font stand-in for SARA AM
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_HSPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


_NEEDS_CLEANING = re.compile(
    "[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00a0\u00ad\u0e4d\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff]")


def _needs_cleaning(text: str) -> bool:
    # One character class and three substring tests: an alternation of all six costs
    # the regex engine every alternative at every position (several times slower).
    return bool(_NEEDS_CLEANING.search(text) or "  " in text or " \n" in text or "\n " in text
                or text[:1].isspace() or text[-1:].isspace())


def squash(text: str) -> str:
    """Text as names are compared: cleaned, Thai digits as Arabic, without any space
    ("ดำเนินการ แล้วเสร็จ" and "ดำเนินการแล้วเสร็จ" are the same status)."""
    return _SPACES.sub("", clean_text(to_arabic_digits(text)))


_SPACES = re.compile(r"\s+")


_BLANK_CATEGORIES = frozenset({"Cf", "Cc", "Mn", "Me", "Zs", "Zl", "Zp", "Cs", "Cn", "Co"})


def is_blank(text: str) -> bool:
    """Whether ``text`` shows nothing a person can read: only white space, format characters
    (bidi controls, zero-width characters, the byte-order mark), control characters, or
    combining marks with no letter to sit on.  A required cell holding such text is empty."""
    return all(ch.isspace() or unicodedata.category(ch) in _BLANK_CATEGORIES for ch in text)


_INVALID_CHARS = re.compile("[\ufffd\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff"
                            + "".join(f"{chr(p << 16 | 0xFFFE)}{chr(p << 16 | 0xFFFF)}" for p in range(1, 17))
                            + "]")


_PAST_SURROGATES = re.compile("[^\x00-\ud7ff]")  # every character _INVALID_CHARS holds sorts here


def invalid_characters(text: str) -> str:
    """The characters of ``text`` that are no text: the replacement character a broken
    ``_xHHHH_`` escape leaves (U+FFFD), surrogates, and Unicode's noncharacters."""
    if not _PAST_SURROGATES.search(text):  # most text: a one-range class is scanned ten times faster
        return ""
    return "".join(_INVALID_CHARS.findall(text))


def without_invalid_characters(text: str) -> str:
    """``text`` without the characters :func:`invalid_characters` finds."""
    return _INVALID_CHARS.sub("", text)


def clean_text(text: str) -> str:
    """Tidy text without changing what it says.

    Replaces ํา with ำ, normalises to NFC, drops invisible characters (zero-width
    spaces, soft hyphens, byte-order marks) and control characters, turns CR/LF into
    LF, collapses runs of spaces and tabs into one space, trims every line and
    the whole text.  Line breaks are kept: they are the office's own layout.
    """
    if not _needs_cleaning(text) and unicodedata.is_normalized("NFC", text):
        return text  # the common case, without building anything
    text = unicodedata.normalize("NFC", text.replace(_SARA_AM_SPLIT, "\u0e33"))
    text = text.translate(_INVISIBLE).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    lines = (_HSPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(lines).strip()
