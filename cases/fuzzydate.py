"""Dates as honest as the reports behind them.

A reported date is stored as the earliest and latest possible day plus a precision. Staff type it
in one box and read it back in the same words; whatever is shown parses back to the same value
(tests/cases/test_fuzzydate.py proves it for every precision). The forms, in the order the hint lists them:

    8 Feb 2021 · 2021-02-08 · 08.02.2021          a day
    Feb 2023 · 2023-02                             a month
    2017                                           a year
    16–28 Mar 2017 · 28 Jan – 3 Feb 2022 ·         a range: the event happened somewhere inside it
    Aug – Dec 2017 · 2016 – 2018
    c. 2017 · c. 17 Aug 2017 · early/mid/late 2022 approximate
    before Aug 2017 · until Aug 2017 ·             open at one end: the other end is not a made-up
    after 2019 · since Feb 2022                    day but unknown (stored as no date)

The box reads the same forms in Russian whatever the interface's language ("8 февраля 2021",
"08.02.2021", "фев. 2023", "16–28 марта 2017", "ок. 17 авг. 2017", "начало 2022", "до авг. 2017",
"с 2019", "с 16 по 28 марта 2017", with or without "г."), and dates are shown in the active language,
Russian ones in the grammatical case their phrase needs ("8 февраля 2021", "февраль 2023", "до августа
2017"). Month names come from CLDR (babel).

Lists sort by the earliest possible day, an open start counting as earliest of all.
"""

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from babel.dates import get_month_names
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.enums import DatePrecision

FIRST_YEAR, LAST_YEAR = 1900, 2100
# Thirds of a year, for "early/mid/late 2022".
YEAR_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_APPROXIMATE = re.compile(
    r"^(?:c\.|ca\.|c |ca |circa|about|around|approx\.?|~|около|ок\.|ок |примерно|приблизительно)\s*(?P<rest>.+)$"
)
# Words opening a date known at one end only, and which end they fix. Russian "до" is "before" (the
# month named is excluded), "по" is "until" (included), "с"/"со" is "since".
OPEN_WORDS = {
    "before": DatePrecision.BEFORE,
    "until": DatePrecision.UNTIL,
    "till": DatePrecision.UNTIL,
    "after": DatePrecision.AFTER,
    "since": DatePrecision.SINCE,
    "до": DatePrecision.BEFORE,
    "по": DatePrecision.UNTIL,
    "после": DatePrecision.AFTER,
    "с": DatePrecision.SINCE,
    "со": DatePrecision.SINCE,
}
_RUSSIAN_YEAR_PARTS = {
    "начало": "early",
    "начале": "early",
    "середина": "mid",
    "середине": "mid",
    "конец": "late",
    "конце": "late",
}
# "2017 г.", "2017 года", "в 2016–2018 гг.": the year word Russian writing adds after a year.
_RUSSIAN_YEAR_WORD = re.compile(r"(?<=\d)\s*(?:гг|г|года|год)\.?(?=\s|$|[–—-])")
# "с 16 по 28 марта 2017": a range in Russian words.
_RUSSIAN_RANGE = re.compile(r"^(?:с|со)\s+(?P<start>.+?)\s+по\s+(?P<end>.+)$")


@dataclass(frozen=True)
class _Words:
    """How one language writes a date: month names for a day ("8 Feb 2021", "8 февраля 2021"), for a month
    alone ("Feb 2023", "февраль 2023"), and after a preposition that governs the genitive ("до августа")."""

    day_month: tuple[str, ...]
    month: tuple[str, ...]
    governed_month: tuple[str, ...]
    approximately: str
    year_parts: dict[str, str]
    open_words: dict[str, str]


def _months(width: str, context: str, locale: str) -> tuple[str, ...]:
    names = get_month_names(width, context, locale)
    return ("", *(names[n] for n in range(1, 13)))


@functools.cache
def _words(language: str) -> _Words:
    if language == "ru":
        return _Words(
            day_month=_months("wide", "format", "ru"),
            month=_months("wide", "stand-alone", "ru"),
            governed_month=_months("wide", "format", "ru"),
            approximately="около",
            year_parts={"early": "начало", "mid": "середина", "late": "конец"},
            open_words={
                DatePrecision.BEFORE: "до",
                DatePrecision.UNTIL: "по",
                DatePrecision.AFTER: "после",
                DatePrecision.SINCE: "с",
            },
        )
    abbreviated = _months("abbreviated", "format", "en")
    return _Words(
        day_month=abbreviated,
        month=abbreviated,
        governed_month=abbreviated,
        approximately="c.",
        year_parts={part: part for part in YEAR_PARTS},
        open_words={
            DatePrecision.BEFORE: "before",
            DatePrecision.UNTIL: "until",
            DatePrecision.AFTER: "after",
            DatePrecision.SINCE: "since",
        },
    )


def _shown_in() -> _Words:
    return _words("ru" if (get_language() or "").startswith("ru") else "en")


@functools.cache
def _month_names() -> dict[str, int]:
    """Every way of naming a month the box reads, in both languages, lower case without dots."""
    names = {"sept": 9}
    for locale in ("en", "ru"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    names[name.lower().rstrip(".")] = number
    return names


def _month_number(word: str) -> int | None:
    """A month named in English or Russian; Russian also by any start of three letters or more ("фев",
    "сент"), as people abbreviate: the first three letters already tell the months apart."""
    names = _month_names()
    if word in names:
        return names[word]
    if len(word) >= 3 and re.fullmatch(r"[а-яё]+", word):
        found = {number for name, number in names.items() if name.startswith(word)}
        if len(found) == 1:
            return found.pop()
    return None


HINT = _(
    "As precisely as known: 8 Feb 2021 · Feb 2023 · 2017 · 16–28 Mar 2017 · Aug – Dec 2017 · c. 2017 · "
    "early 2022 · before Aug 2017 · since Feb 2022."
)
DAY_HINT = _("A day: 8 Feb 2021, 2021-02-08 or 08.02.2021.")
_DASHES = re.compile(r"\s*[–—]\s*|\s+-\s+|\s*/\s*|\s+to\s+")


@dataclass(frozen=True)
class FuzzyDate:
    """``start`` and ``end`` are the earliest and latest possible day; ``None`` where a bound is open."""

    start: date | None
    end: date | None
    precision: str

    @classmethod
    def parse(cls, text: str) -> "FuzzyDate":
        raw = " ".join(text.strip().lower().replace(",", " ").replace("ё", "е").split())
        raw = _RUSSIAN_YEAR_WORD.sub("", raw).strip()
        if not raw:
            raise ValidationError(_("Enter a date."), code="required")
        russian_range = _RUSSIAN_RANGE.match(raw)
        if russian_range:
            raw = f"{russian_range['start']} – {russian_range['end']}"
        first, _space, rest = raw.partition(" ")
        if first in OPEN_WORDS and rest:
            return _open(OPEN_WORDS[first], _span(rest, text))
        approximate = _APPROXIMATE.match(raw)
        if approximate:
            return _approximate(approximate["rest"], text)
        part = re.fullmatch(r"(early|mid|late|начало|начале|середина|середине|конец|конце)[\s-](\d{4})", raw)
        if part:
            year = _year(part[2], text)
            first_month, last_month = YEAR_PARTS[_RUSSIAN_YEAR_PARTS.get(part[1], part[1])]
            return cls(date(year, first_month, 1), _month_end(year, last_month), DatePrecision.APPROXIMATE)
        start, end = _span(raw, text)
        if _is_range(raw):
            return _range(start, end)
        if start == end:
            return cls(start, end, DatePrecision.DAY)
        if (start.year, start.month) == (end.year, end.month):
            return cls(start, end, DatePrecision.MONTH)
        return cls(start, end, DatePrecision.YEAR)

    @classmethod
    def exact(cls, day: date) -> "FuzzyDate":
        return cls(day, day, DatePrecision.DAY)

    @property
    def is_open(self) -> bool:
        return self.start is None or self.end is None

    @property
    def earliest(self) -> date:
        """The earliest possible day, for sorting: an open start sorts before every known day."""
        return self.start or date.min

    @property
    def latest(self) -> date:
        return self.end or date.max

    @property
    def anchor(self) -> date:
        """The earliest day one can name: where a drawing starts and a period is counted from."""
        return self.start or self.end

    def sort_key(self) -> tuple[date, date]:
        return (self.earliest, self.latest)

    @property
    def as_since(self) -> str:
        """A status held from this date on: "since Feb 2019", "с февраля 2019" (the genitive Russian "с" asks
        for). A span or an open date has no such form, so it follows the words "since" stand for."""
        word = _shown_in().open_words[DatePrecision.SINCE]
        if self.precision == DatePrecision.DAY:
            return f"{word} {format_day(self.start)}"
        if self.precision == DatePrecision.MONTH:
            return f"{word} {_show_month(self.start, governed=True)}"
        if self.precision == DatePrecision.YEAR:
            return f"{word} {self.start.year}"
        return _("since %(since)s") % {"since": self}

    def __str__(self) -> str:
        start, end, precision = self.start, self.end, self.precision
        if precision == DatePrecision.DAY:
            return format_day(start)
        if precision == DatePrecision.MONTH:
            return _show_month(start)
        if precision == DatePrecision.YEAR:
            return str(start.year)
        if precision == DatePrecision.RANGE:
            return _show_range(start, end)
        if precision == DatePrecision.APPROXIMATE:
            return _show_approximate(start, end)
        return _show_open(precision, start, end)


def format_day(value: date) -> str:
    """The one way a single day is written, on every page, form, history row and export, in the active language."""
    return f"{value.day} {_shown_in().day_month[value.month]} {value.year}"


def _show_month(value: date, *, governed: bool = False) -> str:
    words = _shown_in()
    return f"{(words.governed_month if governed else words.month)[value.month]} {value.year}"


def format_moment(moment: datetime) -> str:
    """A moment, in the server's time zone, written the same way: "8 Feb 2021 14:05"."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{format_day(local.date())} {local:%H:%M}"


def parse_day(text: str) -> date:
    """A day typed in the same box as a reported date; a deadline falls on a day, not in a month."""
    try:
        value = FuzzyDate.parse(text)
    except ValidationError as error:
        if error.code == "required":
            raise
        raise ValidationError(
            _("“%(value)s” is not a day we can read. %(hint)s"),
            code="invalid",
            params={"value": text, "hint": DAY_HINT},
        ) from error
    if value.precision != DatePrecision.DAY:
        raise ValidationError(
            _("“%(value)s” is not a single day. %(hint)s"), code="not_a_day", params={"value": text, "hint": DAY_HINT}
        )
    return value.start


def format_period(start: FuzzyDate, end: FuzzyDate | None) -> str:
    """From one reported date to another ("2017 – 14 Jun 2017", "Jul – 12 Sep 2023"), no more precise than they are."""
    left = str(start)
    if end is None:
        return _("%(start)s – now") % {"start": left}
    right = str(end)
    simple = (DatePrecision.DAY, DatePrecision.MONTH)
    if (
        start.precision in simple
        and end.precision in simple
        and start.start.year == end.start.year
        and left.endswith(f" {start.start.year}")
    ):
        left = left.removesuffix(f" {start.start.year}")
    return f"{left} – {right}"


def _invalid(text: str) -> ValidationError:
    return ValidationError(
        _("“%(value)s” is not a date we can read. %(hint)s"), code="invalid", params={"value": text, "hint": HINT}
    )


def _year(token: str, text: str) -> int:
    if not re.fullmatch(r"\d{4}", token) or not FIRST_YEAR <= int(token) <= LAST_YEAR:
        raise _invalid(text)
    return int(token)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _is_range(raw: str) -> bool:
    return _split_range(raw) is not None


def _split_range(raw: str) -> tuple[str, str] | None:
    """The two ends of a written range, or None for a single date ("2023-02" is a month, not a range)."""
    parts = _DASHES.split(raw)
    if len(parts) == 2:
        return parts[0], parts[1]
    if len(parts) > 2:
        return None
    if re.fullmatch(r"\d{4}-\d{1,2}(-\d{1,2})?", raw):
        return None
    hyphens = [i for i, char in enumerate(raw) if char == "-"]
    if len(hyphens) == 1:
        return raw[: hyphens[0]], raw[hyphens[0] + 1 :]
    return None


def _span(raw: str, text: str) -> tuple[date, date]:
    """Earliest and latest day of a single date or of a range."""
    ends = _split_range(raw)
    if ends is None:
        return _point(raw, text)
    left, right = ends[0].strip(), ends[1].strip()
    right_start, right_end = _point(right, text)
    left_start, _left_end = _point(left, text, borrow=right_start)
    if right_end < left_start:
        raise ValidationError(
            _("The end of the range (%(end)s) is before its start (%(start)s)."),
            code="range_reversed",
            params={"start": format_day(left_start), "end": format_day(right_end)},
        )
    return left_start, right_end


def _point(token: str, text: str, borrow: date | None = None) -> tuple[date, date]:
    """Earliest and latest day that one written date can mean.

    ``borrow`` is the start of a range's right end: the left end may leave out what they share
    ("16–28 Mar 2017", "28 Jan – 3 Feb 2022", "Aug – Dec 2017").
    """
    token = token.strip().rstrip(".")
    try:
        iso = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", token)
        if iso:
            year, month = _year(iso[1], text), int(iso[2])
            if iso[3] is None:
                return date(year, month, 1), _month_end(year, month)
            point = date(year, month, int(iso[3]))
            return point, point
        dotted = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", token)
        if dotted:
            point = date(_year(dotted[3], text), int(dotted[2]), int(dotted[1]))
            return point, point
        words = token.replace(".", " ").split()
        if borrow is not None and words and not re.fullmatch(r"\d{4}", words[-1]):
            # The left end of a range without its year (or month): it shares the right end's.
            words = [*words, str(borrow.year)]
            if len(words) == 2 and words[0].isdigit():
                words = [words[0], str(borrow.month), words[1]]
        if len(words) == 3 and _month_number(words[0]):  # "Feb 8 2021"
            words = [words[1], words[0], words[2]]
        if len(words) == 1:
            year = _year(words[0], text)
            return date(year, 1, 1), date(year, 12, 31)
        if len(words) == 2 and _month_number(words[0]):
            year, month = _year(words[1], text), _month_number(words[0])
            return date(year, month, 1), _month_end(year, month)
        if len(words) == 3 and re.fullmatch(r"\d{1,2}", words[0]):
            month = int(words[1]) if words[1].isdigit() else _month_number(words[1])
            if month:
                point = date(_year(words[2], text), month, int(words[0]))
                return point, point
    except ValueError as exc:  # 31 Feb, month 13
        raise _invalid(text) from exc
    raise _invalid(text)


def _range(start: date, end: date) -> FuzzyDate:
    if start == end:
        return FuzzyDate.exact(start)
    return FuzzyDate(start, end, DatePrecision.RANGE)


def _approximate(rest: str, text: str) -> FuzzyDate:
    start, end = _span(rest, text)
    return FuzzyDate(start, end, DatePrecision.APPROXIMATE)


def _open(precision: str, span: tuple[date, date]) -> FuzzyDate:
    first, last = span
    if precision == DatePrecision.BEFORE:
        return FuzzyDate(None, first - timedelta(days=1), precision)
    if precision == DatePrecision.UNTIL:
        return FuzzyDate(None, last, precision)
    if precision == DatePrecision.AFTER:
        return FuzzyDate(last + timedelta(days=1), None, precision)
    return FuzzyDate(first, None, precision)


def _month_aligned(start: date, end: date) -> bool:
    return start.day == 1 and end == _month_end(end.year, end.month)


def _show_range(start: date, end: date) -> str:
    months = _shown_in().day_month
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {months[end.month]} {end.year}"
    if start.year == end.year:
        if _month_aligned(start, end):
            return f"{_shown_in().month[start.month]} – {_show_month(end)}"
        return f"{start.day} {months[start.month]} – {format_day(end)}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return f"{start.year} – {end.year}"
    if _month_aligned(start, end):
        return f"{_show_month(start)} – {_show_month(end)}"
    return f"{format_day(start)} – {format_day(end)}"


def _show_approximate(start: date, end: date) -> str:
    words = _shown_in()
    if start == end:
        return f"{words.approximately} {format_day(start)}"
    if start.year == end.year and _month_aligned(start, end):
        for part, (first, last) in YEAR_PARTS.items():
            if (start.month, end.month) == (first, last):
                return f"{words.year_parts[part]} {start.year}"
        if (start.month, end.month) == (1, 12):
            return f"{words.approximately} {start.year}"
        if start.month == end.month:
            return f"{words.approximately} {_show_month(start, governed=True)}"
    return f"{words.approximately} {_show_range(start, end)}"


def _show_bound(day: date, *, last: bool, governed: bool) -> str:
    """A day as the largest unit it bounds: the last day of a year is "2017" when ``last`` is asked for."""
    if last:
        if (day.month, day.day) == (12, 31):
            return str(day.year)
        if day == _month_end(day.year, day.month):
            return _show_month(day, governed=governed)
    else:
        if (day.month, day.day) == (1, 1):
            return str(day.year)
        if day.day == 1:
            return _show_month(day, governed=governed)
    return format_day(day)


def _show_open(precision: str, start: date | None, end: date | None) -> str:
    word = _shown_in().open_words[precision]
    if precision == DatePrecision.BEFORE:
        return f"{word} {_show_bound(end + timedelta(days=1), last=False, governed=True)}"
    if precision == DatePrecision.UNTIL:
        # Russian "по" takes the accusative, which for months is the nominative: "по август 2017".
        return f"{word} {_show_bound(end, last=True, governed=False)}"
    if precision == DatePrecision.AFTER:
        return f"{word} {_show_bound(start - timedelta(days=1), last=True, governed=True)}"
    return f"{word} {_show_bound(start, last=False, governed=True)}"
