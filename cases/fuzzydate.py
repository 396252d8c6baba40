"""Dates as honest as the reports behind them.

A reported date is stored as the earliest and latest possible day plus a
precision. Staff type it in one box ("8 Feb 2021", "Feb 2023", "2017",
"16-28 Mar 2017", "c. 2017", "early 2022"); advocates read it back the same way;
lists sort by the earliest possible day.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.enums import DatePrecision

MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())
}
MONTHS["sept"] = 9
_MONTH_ABBR = [calendar.month_abbr[n] for n in range(13)]
# Thirds of a year, for "early/mid/late 2022".
_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
_APPROX_PREFIX = re.compile(r"^(c\.|ca\.|circa|about|approx\.?|~)\s*", re.IGNORECASE)
_RANGE_SPLIT = re.compile(r"\s*(?:/|–|—|\bto\b|\s-\s|(?<=\d)-(?=\d{1,2}\s+[a-z]))\s*", re.IGNORECASE)


@dataclass(frozen=True)
class FuzzyDate:
    start: date
    end: date
    precision: str

    @classmethod
    def parse(cls, text: str) -> "FuzzyDate":
        raw = " ".join(text.strip().replace(",", " ").split())
        if not raw:
            raise ValidationError(_("Enter a date."), code="required")
        approx = _APPROX_PREFIX.match(raw)
        if approx:
            start, end = _parse_point(raw[approx.end() :], text)
            return cls(start, end, DatePrecision.APPROXIMATE)
        words = raw.lower().split()
        if len(words) == 2 and words[0] in _PARTS and words[1].isdigit():
            year = _year(words[1], text)
            first, last = _PARTS[words[0]]
            return cls(date(year, first, 1), _month_end(year, last), DatePrecision.APPROXIMATE)
        parts = _RANGE_SPLIT.split(raw)
        if len(parts) == 2:
            return cls._parse_range(parts[0], parts[1], text)
        start, end = _parse_point(raw, text)
        if start == end:
            return cls(start, end, DatePrecision.DAY)
        if start.year == end.year and start.month == end.month:
            return cls(start, end, DatePrecision.MONTH)
        return cls(start, end, DatePrecision.YEAR)

    @classmethod
    def _parse_range(cls, left: str, right: str, text: str) -> "FuzzyDate":
        right_start, right_end = _parse_point(right, text)
        if left.strip().isdigit() and len(left.strip()) <= 2:
            # "16-28 Mar 2017": the left day borrows month and year from the right.
            try:
                left_start = right_start.replace(day=int(left))
            except ValueError as exc:
                raise _invalid(text) from exc
        else:
            left_start, _left_end = _parse_point(left, text)
        if right_end < left_start:
            raise ValidationError(
                _("The end of the range (%(end)s) is before its start (%(start)s)."),
                code="range_reversed",
                params={"start": _day(left_start), "end": _day(right_end)},
            )
        return cls(left_start, right_end, DatePrecision.RANGE)

    @classmethod
    def exact(cls, day: date) -> "FuzzyDate":
        return cls(day, day, DatePrecision.DAY)

    def __str__(self) -> str:
        start, end = self.start, self.end
        if self.precision == DatePrecision.DAY:
            return _day(start)
        if self.precision == DatePrecision.MONTH:
            return f"{_MONTH_ABBR[start.month]} {start.year}"
        if self.precision == DatePrecision.YEAR:
            return str(start.year)
        if self.precision == DatePrecision.RANGE:
            return _range(start, end)
        return _approximate(start, end)


def _invalid(text: str) -> ValidationError:
    return ValidationError(
        _(
            "“%(value)s” is not a date we can read. Try 8 Feb 2021, 2021-02-08, Feb 2023, "
            "2017, 16–28 Mar 2017, c. 2017 or early 2022."
        ),
        code="invalid",
        params={"value": text},
    )


def _year(token: str, text: str) -> int:
    if not re.fullmatch(r"\d{4}", token) or not 1900 <= int(token) <= 2100:
        raise _invalid(text)
    return int(token)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _parse_point(token: str, text: str) -> tuple[date, date]:
    """Earliest and latest day that a single written date can mean."""
    token = token.strip().rstrip(".")
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", token)
    if iso:
        year, month, day = _year(iso[1], text), int(iso[2]), iso[3]
        try:
            if day is None:
                return date(year, month, 1), _month_end(year, month)
            point = date(year, month, int(day))
        except ValueError as exc:
            raise _invalid(text) from exc
        return point, point
    dotted = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", token)
    if dotted:
        try:
            point = date(_year(dotted[3], text), int(dotted[2]), int(dotted[1]))
        except ValueError as exc:
            raise _invalid(text) from exc
        return point, point
    words = token.lower().replace(".", " ").split()
    if len(words) == 1:
        year = _year(words[0], text)
        return date(year, 1, 1), date(year, 12, 31)
    if len(words) == 2 and words[0] in MONTHS:
        year, month = _year(words[1], text), MONTHS[words[0]]
        return date(year, month, 1), _month_end(year, month)
    if len(words) == 3:
        day_word, month_word, year_word = words
        if day_word in MONTHS:  # "Feb 8 2021"
            day_word, month_word = month_word, day_word
        if month_word in MONTHS and day_word.isdigit():
            try:
                point = date(_year(year_word, text), MONTHS[month_word], int(day_word))
            except ValueError as exc:
                raise _invalid(text) from exc
            return point, point
    raise _invalid(text)


def _day(value: date) -> str:
    return f"{value.day} {_MONTH_ABBR[value.month]} {value.year}"


def _range(start: date, end: date) -> str:
    if start.year == end.year and start.month == end.month:
        return f"{start.day}–{end.day} {_MONTH_ABBR[end.month]} {end.year}"
    if start.year == end.year:
        return f"{start.day} {_MONTH_ABBR[start.month]} – {_day(end)}"
    return f"{_day(start)} – {_day(end)}"


def _approximate(start: date, end: date) -> str:
    if start == end:
        return f"c. {_day(start)}"
    if start.year == end.year and start.day == 1 and end == _month_end(end.year, end.month):
        for word, (first, last) in _PARTS.items():
            if (start.month, end.month) == (first, last):
                return f"{word} {start.year}"
        if (start.month, end.month) == (1, 12):
            return f"c. {start.year}"
        if start.month == end.month:
            return f"c. {_MONTH_ABBR[start.month]} {start.year}"
    return f"c. {_range(start, end)}"
