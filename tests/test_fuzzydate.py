from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cases.enums import DatePrecision
from cases.fuzzydate import FuzzyDate


@pytest.mark.parametrize(
    ("typed", "start", "end", "precision", "shown"),
    [
        ("8 Feb 2021", date(2021, 2, 8), date(2021, 2, 8), DatePrecision.DAY, "8 Feb 2021"),
        ("2021-02-08", date(2021, 2, 8), date(2021, 2, 8), DatePrecision.DAY, "8 Feb 2021"),
        ("08.02.2021", date(2021, 2, 8), date(2021, 2, 8), DatePrecision.DAY, "8 Feb 2021"),
        ("Feb 2023", date(2023, 2, 1), date(2023, 2, 28), DatePrecision.MONTH, "Feb 2023"),
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28), DatePrecision.MONTH, "Feb 2023"),
        ("2017", date(2017, 1, 1), date(2017, 12, 31), DatePrecision.YEAR, "2017"),
        ("16–28 Mar 2017", date(2017, 3, 16), date(2017, 3, 28), DatePrecision.RANGE, "16–28 Mar 2017"),
        ("16-28 Mar 2017", date(2017, 3, 16), date(2017, 3, 28), DatePrecision.RANGE, "16–28 Mar 2017"),
        ("2017-03-15/2017-04-02", date(2017, 3, 15), date(2017, 4, 2), DatePrecision.RANGE, "15 Mar – 2 Apr 2017"),
        ("c. 2017", date(2017, 1, 1), date(2017, 12, 31), DatePrecision.APPROXIMATE, "c. 2017"),
        ("early 2022", date(2022, 1, 1), date(2022, 4, 30), DatePrecision.APPROXIMATE, "early 2022"),
        ("late 2017", date(2017, 9, 1), date(2017, 12, 31), DatePrecision.APPROXIMATE, "late 2017"),
        ("c. Mar 2023", date(2023, 3, 1), date(2023, 3, 31), DatePrecision.APPROXIMATE, "c. Mar 2023"),
        ("12 Sept 2023", date(2023, 9, 12), date(2023, 9, 12), DatePrecision.DAY, "12 Sep 2023"),
    ],
)
def test_fuzzy_date_reads_and_shows_what_staff_type(typed, start, end, precision, shown):
    value = FuzzyDate.parse(typed)

    assert (value.start, value.end, value.precision) == (start, end, precision)
    assert str(value) == shown


@pytest.mark.parametrize("typed", ["", "soon", "31 Feb 2021", "2017-13", "Febtember 2020", "1066"])
def test_fuzzy_date_rejects_what_it_cannot_read_with_a_clear_message(typed):
    with pytest.raises(ValidationError) as error:
        FuzzyDate.parse(typed)

    assert error.value.messages[0] in {"Enter a date."} or "not a date we can read" in error.value.messages[0]


def test_fuzzy_date_range_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationError) as error:
        FuzzyDate.parse("28–16 Mar 2017")

    assert error.value.messages == ["The end of the range (16 Mar 2017) is before its start (28 Mar 2017)."]


def test_fuzzy_dates_sort_by_earliest_possible_day():
    typed = ["Feb 2023", "c. 2017", "16–28 Mar 2017", "8 Feb 2021"]

    ordered = sorted((FuzzyDate.parse(t) for t in typed), key=lambda d: d.start)

    assert [str(d) for d in ordered] == ["c. 2017", "16–28 Mar 2017", "8 Feb 2021", "Feb 2023"]
