import calendar
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from cases.enums import DatePrecision
from cases.fuzzydate import FIRST_YEAR, LAST_YEAR, YEAR_PARTS, FuzzyDate, format_day, format_period, parse_day


@pytest.mark.parametrize(
    ("typed", "start", "end", "precision", "shown"),
    [
        ("8 Feb 2021", date(2021, 2, 8), date(2021, 2, 8), DatePrecision.DAY, "8 Feb 2021"),
        ("2021-02-08", date(2021, 2, 8), date(2021, 2, 8), DatePrecision.DAY, "8 Feb 2021"),
        ("08.02.2021", date(2021, 2, 8), date(2021, 2, 8), DatePrecision.DAY, "8 Feb 2021"),
        ("Feb 8, 2021", date(2021, 2, 8), date(2021, 2, 8), DatePrecision.DAY, "8 Feb 2021"),
        ("Feb 2023", date(2023, 2, 1), date(2023, 2, 28), DatePrecision.MONTH, "Feb 2023"),
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28), DatePrecision.MONTH, "Feb 2023"),
        ("2017", date(2017, 1, 1), date(2017, 12, 31), DatePrecision.YEAR, "2017"),
        ("16–28 Mar 2017", date(2017, 3, 16), date(2017, 3, 28), DatePrecision.RANGE, "16–28 Mar 2017"),
        ("16-28 Mar 2017", date(2017, 3, 16), date(2017, 3, 28), DatePrecision.RANGE, "16–28 Mar 2017"),
        ("2017-03-15/2017-04-02", date(2017, 3, 15), date(2017, 4, 2), DatePrecision.RANGE, "15 Mar – 2 Apr 2017"),
        ("28 Jan – 3 Feb 2022", date(2022, 1, 28), date(2022, 2, 3), DatePrecision.RANGE, "28 Jan – 3 Feb 2022"),
        ("Aug 2017 – Dec 2017", date(2017, 8, 1), date(2017, 12, 31), DatePrecision.RANGE, "Aug – Dec 2017"),
        ("Aug–Dec 2017", date(2017, 8, 1), date(2017, 12, 31), DatePrecision.RANGE, "Aug – Dec 2017"),
        ("1 Aug – 31 Dec 2017", date(2017, 8, 1), date(2017, 12, 31), DatePrecision.RANGE, "Aug – Dec 2017"),
        ("Nov 2017 - Feb 2018", date(2017, 11, 1), date(2018, 2, 28), DatePrecision.RANGE, "Nov 2017 – Feb 2018"),
        ("2016–2018", date(2016, 1, 1), date(2018, 12, 31), DatePrecision.RANGE, "2016 – 2018"),
        ("c. 2017", date(2017, 1, 1), date(2017, 12, 31), DatePrecision.APPROXIMATE, "c. 2017"),
        ("c. 17 Aug 2017", date(2017, 8, 17), date(2017, 8, 17), DatePrecision.APPROXIMATE, "c. 17 Aug 2017"),
        ("about 16–28 Mar 2017", date(2017, 3, 16), date(2017, 3, 28), DatePrecision.APPROXIMATE, "c. 16–28 Mar 2017"),
        ("early 2022", date(2022, 1, 1), date(2022, 4, 30), DatePrecision.APPROXIMATE, "early 2022"),
        ("mid-2022", date(2022, 5, 1), date(2022, 8, 31), DatePrecision.APPROXIMATE, "mid 2022"),
        ("late 2017", date(2017, 9, 1), date(2017, 12, 31), DatePrecision.APPROXIMATE, "late 2017"),
        ("c. Mar 2023", date(2023, 3, 1), date(2023, 3, 31), DatePrecision.APPROXIMATE, "c. Mar 2023"),
        ("12 Sept 2023", date(2023, 9, 12), date(2023, 9, 12), DatePrecision.DAY, "12 Sep 2023"),
        ("before Aug 2017", None, date(2017, 7, 31), DatePrecision.BEFORE, "before Aug 2017"),
        ("until Aug 2017", None, date(2017, 8, 31), DatePrecision.UNTIL, "until Aug 2017"),
        ("after 2019", date(2020, 1, 1), None, DatePrecision.AFTER, "after 2019"),
        ("since Feb 2022", date(2022, 2, 1), None, DatePrecision.SINCE, "since Feb 2022"),
        ("since 8 Feb 2022", date(2022, 2, 8), None, DatePrecision.SINCE, "since 8 Feb 2022"),
        ("before 3 Mar 2021", None, date(2021, 3, 2), DatePrecision.BEFORE, "before 3 Mar 2021"),
    ],
)
def test_fuzzy_date_reads_and_shows_what_staff_type(typed, start, end, precision, shown):
    value = FuzzyDate.parse(typed)

    assert (value.start, value.end, value.precision) == (start, end, precision)
    assert str(value) == shown


@pytest.mark.parametrize(
    ("typed", "start", "end", "precision", "shown"),
    [
        ("8 февраля 2021", date(2021, 2, 8), date(2021, 2, 8), DatePrecision.DAY, "8 февраля 2021"),
        ("8 фев 2021", date(2021, 2, 8), date(2021, 2, 8), DatePrecision.DAY, "8 февраля 2021"),
        ("8 февр. 2021 г.", date(2021, 2, 8), date(2021, 2, 8), DatePrecision.DAY, "8 февраля 2021"),
        ("08.02.2021", date(2021, 2, 8), date(2021, 2, 8), DatePrecision.DAY, "8 февраля 2021"),
        ("февраль 2023", date(2023, 2, 1), date(2023, 2, 28), DatePrecision.MONTH, "февраль 2023"),
        ("фев. 2023", date(2023, 2, 1), date(2023, 2, 28), DatePrecision.MONTH, "февраль 2023"),
        ("2017", date(2017, 1, 1), date(2017, 12, 31), DatePrecision.YEAR, "2017"),
        ("2017 года", date(2017, 1, 1), date(2017, 12, 31), DatePrecision.YEAR, "2017"),
        ("16–28 марта 2017", date(2017, 3, 16), date(2017, 3, 28), DatePrecision.RANGE, "16–28 марта 2017"),
        ("с 16 по 28 марта 2017 г.", date(2017, 3, 16), date(2017, 3, 28), DatePrecision.RANGE, "16–28 марта 2017"),
        (
            "28 января – 3 февраля 2022",
            date(2022, 1, 28),
            date(2022, 2, 3),
            DatePrecision.RANGE,
            "28 января – 3 февраля 2022",
        ),
        ("август – декабрь 2017", date(2017, 8, 1), date(2017, 12, 31), DatePrecision.RANGE, "август – декабрь 2017"),
        ("2016–2018 гг.", date(2016, 1, 1), date(2018, 12, 31), DatePrecision.RANGE, "2016 – 2018"),
        ("около 2017", date(2017, 1, 1), date(2017, 12, 31), DatePrecision.APPROXIMATE, "около 2017"),
        ("ок. 17 авг. 2017", date(2017, 8, 17), date(2017, 8, 17), DatePrecision.APPROXIMATE, "около 17 августа 2017"),
        ("примерно март 2023", date(2023, 3, 1), date(2023, 3, 31), DatePrecision.APPROXIMATE, "около марта 2023"),
        ("начало 2022", date(2022, 1, 1), date(2022, 4, 30), DatePrecision.APPROXIMATE, "начало 2022"),
        ("середина 2022", date(2022, 5, 1), date(2022, 8, 31), DatePrecision.APPROXIMATE, "середина 2022"),
        ("конец 2022", date(2022, 9, 1), date(2022, 12, 31), DatePrecision.APPROXIMATE, "конец 2022"),
        ("до авг. 2017", None, date(2017, 7, 31), DatePrecision.BEFORE, "до августа 2017"),
        ("по август 2017", None, date(2017, 8, 31), DatePrecision.UNTIL, "по август 2017"),
        ("после 2019", date(2020, 1, 1), None, DatePrecision.AFTER, "после 2019"),
        ("с 2019", date(2019, 1, 1), None, DatePrecision.SINCE, "с 2019"),
        ("с февраля 2022", date(2022, 2, 1), None, DatePrecision.SINCE, "с февраля 2022"),
        ("со 2 мая 2022", date(2022, 5, 2), None, DatePrecision.SINCE, "с 2 мая 2022"),
    ],
)
def test_the_box_reads_russian_and_shows_it_in_russian(typed, start, end, precision, shown):
    value = FuzzyDate.parse(typed)

    with translation.override("ru"):
        assert (value.start, value.end, value.precision, str(value)) == (start, end, precision, shown)


def test_an_approximate_day_typed_in_russian_reads_as_approximate_in_both_languages():
    value = FuzzyDate.parse("ок. 17 августа 2017")

    assert value.precision == DatePrecision.APPROXIMATE
    assert str(value) == "c. 17 Aug 2017"
    with translation.override("ru"):
        assert str(value) == "около 17 августа 2017"


@pytest.mark.parametrize(
    "typed", ["", "soon", "31 Feb 2021", "2017-13", "Febtember 2020", "1066", "before", "since soon", "c."]
)
def test_fuzzy_date_rejects_what_it_cannot_read_with_a_clear_message(typed):
    with pytest.raises(ValidationError) as error:
        FuzzyDate.parse(typed)

    assert error.value.messages[0] in {"Enter a date."} or "not a date we can read" in error.value.messages[0]


def test_unreadable_date_message_lists_the_accepted_forms():
    with pytest.raises(ValidationError) as error:
        FuzzyDate.parse("next Tuesday")

    assert "before Aug 2017" in error.value.messages[0]
    assert "16–28 Mar 2017" in error.value.messages[0]


def test_fuzzy_date_range_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationError) as error:
        FuzzyDate.parse("28–16 Mar 2017")

    assert error.value.messages == ["The end of the range (16 Mar 2017) is before its start (28 Mar 2017)."]


def test_fuzzy_dates_sort_by_earliest_possible_day_open_start_first():
    typed = ["Feb 2023", "c. 2017", "before 2015", "16–28 Mar 2017", "8 Feb 2021"]

    ordered = sorted((FuzzyDate.parse(t) for t in typed), key=FuzzyDate.sort_key)

    assert [str(d) for d in ordered] == ["before 2015", "c. 2017", "16–28 Mar 2017", "8 Feb 2021", "Feb 2023"]


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        ("2017", "14 Jun 2017", "2017 – 14 Jun 2017"),
        ("Jul 2023", "12 Sep 2023", "Jul – 12 Sep 2023"),
        ("8 Feb 2021", "22 Feb 2022", "8 Feb 2021 – 22 Feb 2022"),
        ("c. 2017", None, "c. 2017 – now"),
    ],
)
def test_a_period_between_two_reports_is_no_more_precise_than_they_are(start, end, shown):
    assert format_period(FuzzyDate.parse(start), FuzzyDate.parse(end) if end else None) == shown


def test_a_day_field_takes_the_same_forms_and_refuses_a_month():
    assert parse_day("12.02.2021") == date(2021, 2, 12)
    assert parse_day("12 Feb 2021") == date(2021, 2, 12)
    with pytest.raises(ValidationError) as error:
        parse_day("Feb 2021")
    assert "is not a single day" in error.value.messages[0]


# --- Every value the app can hold is shown in words that parse back to it ---------------------------

days = st.dates(min_value=date(FIRST_YEAR, 1, 1), max_value=date(LAST_YEAR, 12, 31))
years = st.integers(FIRST_YEAR, LAST_YEAR)
months = st.integers(1, 12)


def _month_end(year, month):
    return date(year, month, calendar.monthrange(year, month)[1])


@st.composite
def fuzzy_dates(draw):
    precision = draw(st.sampled_from(DatePrecision.values))
    if precision == DatePrecision.DAY:
        day = draw(days)
        return FuzzyDate(day, day, precision)
    if precision == DatePrecision.MONTH:
        year, month = draw(years), draw(months)
        return FuzzyDate(date(year, month, 1), _month_end(year, month), precision)
    if precision == DatePrecision.YEAR:
        year = draw(years)
        return FuzzyDate(date(year, 1, 1), date(year, 12, 31), precision)
    if precision in (DatePrecision.RANGE, DatePrecision.APPROXIMATE):
        first, second = draw(days), draw(days)
        start, end = min(first, second), max(first, second)
        if precision == DatePrecision.RANGE and start == end:
            end = start + timedelta(days=1)
        if precision == DatePrecision.APPROXIMATE and draw(st.booleans()):
            year = draw(years)
            first_month, last_month = draw(st.sampled_from(list(YEAR_PARTS.values())))
            start, end = date(year, first_month, 1), _month_end(year, last_month)
        return FuzzyDate(start, end, precision)
    bound = draw(st.dates(min_value=date(FIRST_YEAR, 1, 2), max_value=date(LAST_YEAR, 12, 30)))
    if precision in (DatePrecision.BEFORE, DatePrecision.UNTIL):
        return FuzzyDate(None, bound, precision)
    return FuzzyDate(bound, None, precision)


@given(fuzzy_dates(), st.sampled_from(["en", "ru"]))
def test_every_date_shown_parses_back_to_the_same_value(value, language):
    with translation.override(language):
        shown = str(value)

    assert FuzzyDate.parse(shown) == value


@given(fuzzy_dates(), fuzzy_dates(), st.sampled_from(["en", "ru"]))
def test_every_period_shown_names_both_reported_dates(start, end, language):
    with translation.override(language):
        shown = format_period(start, end)

        assert shown.endswith(str(end))
        assert shown.startswith(str(start).removesuffix(f" {start.anchor.year}"))


@pytest.mark.parametrize(
    "typed, english, russian",
    [
        ("8 Feb 2021", "since 8 Feb 2021", "с 8 февраля 2021"),
        ("Feb 2019", "since Feb 2019", "с февраля 2019"),
        ("1 Feb 2019", "since 1 Feb 2019", "с 1 февраля 2019"),
        ("2017", "since 2017", "с 2017"),
        ("c. 2017", "since c. 2017", "дата: около 2017"),
    ],
)
def test_a_status_held_since_a_date_reads_in_each_language(typed, english, russian):
    since = FuzzyDate.parse(typed)

    with translation.override("en"):
        assert since.as_since == english
    with translation.override("ru"):
        assert since.as_since == russian


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_date_filter_writes_a_day_as_every_other_page_does(language):
    day = date(2021, 2, 8)

    with translation.override(language):
        assert Template("{{ day|date }}").render(Context({"day": day})) == format_day(day)
