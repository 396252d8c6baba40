"""Reported dates on models and forms: three columns in the database, one box on the screen.

A model declares a reported date as ``filed_start, filed_end, filed_precision = fuzzy_date_columns(...)``
and ``filed = FuzzyDateProperty("filed", _("filed"))``; a form declares ``filed = FuzzyDateField()``
and ``FuzzyDatesForm`` moves the value between the box and the columns. Plain days (a deadline, the
day a case was opened) are typed in the same kind of box and shown the same way (``DayField``).
"""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear
from django.db.models.lookups import Exact, IsNull
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cases.enums import DatePrecision
from cases.fuzzydate import DAY_HINT, HINT, FuzzyDate, format_day, parse_day

PLACEHOLDER = _("8 Feb 2021 · Feb 2023 · 2017 · 16–28 Mar 2017 · c. 2017 · before Aug 2017")


def fuzzy_date_columns(verbose_name, *, db_index: bool = False):
    """The earliest and latest possible day (either may be open) and the precision of one reported date."""
    return (
        models.DateField(
            format_lazy(_("{date}: earliest possible day"), date=verbose_name),
            null=True,
            blank=True,
            editable=False,
            db_index=db_index,
        ),
        models.DateField(
            format_lazy(_("{date}: latest possible day"), date=verbose_name), null=True, blank=True, editable=False
        ),
        models.CharField(
            format_lazy(_("{date}: precision"), date=verbose_name),
            max_length=12,
            choices=DatePrecision.choices,
            blank=True,
            editable=False,
        ),
    )


# Where a reported date certainly falls, for counting by year and month (exports/figures.py). Besides the years
# themselves: a date whose possible days span more than one year, and a date open at one end ("before Aug
# 2017"). Month 0: the month is unknown (or the date is not within one year).
SPANS_YEARS, OPEN_ENDED, MONTH_UNKNOWN = -1, -2, 0


class YearOf(ExtractYear):
    """The year of a date column. On SQLite, Django's extraction calls a Python function, which a column the
    database computes cannot use; a date is stored there as "YYYY-MM-DD", its first four characters the year."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(substr({sql}, 1, 4) AS INTEGER)", params


class MonthOf(ExtractMonth):
    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(substr({sql}, 6, 2) AS INTEGER)", params


def certain_year_and_month(prefix: str, verbose_name):
    """Two columns the database computes from a reported date, so that counting by them reads an index only.

    The year is the year of the earliest and the latest possible day when they fall in the same year, else
    ``SPANS_YEARS`` or, for a date open at one end, ``OPEN_ENDED``; the month likewise when they also fall in
    the same month, else ``MONTH_UNKNOWN``. So "2017" is in 2017 with its month unknown, "16–28 Mar 2017" and
    "c. Mar 2023" in their month, "Nov 2017 – Feb 2018" across years: never counted in a month or a year
    it may not belong to.
    """
    start, end = f"{prefix}_start", f"{prefix}_end"
    same_year = Exact(YearOf(start), YearOf(end))
    open_ended = IsNull(F(start), True) | IsNull(F(end), True)
    year = Case(
        When(open_ended, then=Value(OPEN_ENDED)),
        When(same_year, then=YearOf(start)),
        default=Value(SPANS_YEARS),
        output_field=models.IntegerField(),
    )
    month = Case(
        When(same_year & Exact(MonthOf(start), MonthOf(end)), then=MonthOf(start)),
        default=Value(MONTH_UNKNOWN),
        output_field=models.IntegerField(),
    )
    return (
        models.GeneratedField(
            expression=year,
            output_field=models.IntegerField(),
            db_persist=True,
            verbose_name=format_lazy(_("{date}: year it certainly falls in"), date=verbose_name),
        ),
        models.GeneratedField(
            expression=month,
            output_field=models.IntegerField(),
            db_persist=True,
            verbose_name=format_lazy(_("{date}: month it certainly falls in"), date=verbose_name),
        ),
    )


class FuzzyDateProperty(property):
    """A reported date read and written as one ``FuzzyDate`` (or None when not recorded).

    A ``property`` subclass, so that ``Model(filed=...)`` works like any property keyword.
    """

    def __init__(self, prefix: str, verbose_name, *, blank: bool = False):
        self.prefix = prefix
        self.columns = (f"{prefix}_start", f"{prefix}_end", f"{prefix}_precision")
        self.verbose_name = verbose_name
        self.blank = blank
        super().__init__(self._get, self._set)

    def _get(self, obj) -> FuzzyDate | None:
        # Read a thousand times for a long case's timeline: plain attribute reads, no generator.
        start, end, precision = self.columns
        precision = getattr(obj, precision)
        if not precision:
            return None
        return FuzzyDate(getattr(obj, start), getattr(obj, end), precision)

    def _set(self, obj, value) -> None:
        if isinstance(value, str):
            value = FuzzyDate.parse(value) if value.strip() else None
        elif isinstance(value, date):
            value = FuzzyDate.exact(value)
        start, end, precision = (value.start, value.end, value.precision) if value else (None, None, "")
        for column, part in zip(self.columns, (start, end, precision), strict=True):
            setattr(obj, column, part)

    def check(self, obj, name: str) -> dict:
        """Errors of a stored value, by the property's name, for ``Model.clean``.

        Reported dates are in the past; a model names in ``future_dates`` those that may be planned.
        """
        start, end, precision = (getattr(obj, column) for column in self.columns)
        if not precision:
            return {} if self.blank else {name: _("Enter a date.")}
        if start is None and end is None:
            return {name: _("Enter a date.")}
        if start and end and end < start:
            return {name: _("The end date is before the start date.")}
        if start and start > timezone.localdate() and name not in getattr(obj, "future_dates", ()):
            return {name: _("This date is in the future.")}
        return {}


def fuzzy_date_properties(model) -> dict[str, FuzzyDateProperty]:
    """Every reported date a model declares, by name."""
    found = {}
    for klass in reversed(model.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, FuzzyDateProperty):
                found[name] = value
    return found


class FuzzyDateField(forms.Field):
    """One box for a reported date in any of the forms ``FuzzyDate.parse`` reads."""

    max_length = 60

    def __init__(self, *, label=None, required: bool = True, **kwargs):
        # The same hint under every reported date, after what the form says about this one.
        own = kwargs.get("help_text")
        kwargs["help_text"] = format_lazy("{} {}", own, HINT) if own else HINT
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": PLACEHOLDER, "size": 22, "maxlength": self.max_length})
        )
        super().__init__(label=label, required=required, **kwargs)

    def prepare_value(self, value):
        return str(value) if isinstance(value, FuzzyDate) else value

    def to_python(self, value):
        if isinstance(value, FuzzyDate):
            return value
        text = " ".join(str(value or "").split())
        if not text:
            return None
        if len(text) > self.max_length:
            raise ValidationError(_("A date is at most %(limit)d characters."), params={"limit": self.max_length})
        return FuzzyDate.parse(text)

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


class DayInput(forms.TextInput):
    """A plain text box that shows a day the way every page does ("8 Feb 2021"), never ISO."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": _("8 Feb 2021"), "size": 12, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, date):
            return format_day(value)
        return super().format_value(value)


class DayField(forms.DateField):
    """A single day, typed in the same box and words as a reported date."""

    widget = DayInput

    def __init__(self, **kwargs):
        # The same hint under every day field, after what the model says about this one.
        own = kwargs.get("help_text")
        kwargs["help_text"] = format_lazy("{} {}", own, DAY_HINT) if own else DAY_HINT
        kwargs.pop("input_formats", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        return parse_day(str(value))

    def has_changed(self, initial, data):
        try:
            data = self.to_python(data)
        except ValidationError:
            return True
        return initial != data


class FuzzyDatesForm(forms.ModelForm):
    """Moves each reported date between its box (a ``FuzzyDateField`` of the property's name) and its columns."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self._fuzzy_fields():
            value = getattr(self.instance, name)
            if value is not None and name not in self.initial:
                self.initial[name] = value

    def _fuzzy_fields(self) -> list[str]:
        model_dates = fuzzy_date_properties(self._meta.model)
        return [
            name for name, field in self.fields.items() if name in model_dates and isinstance(field, FuzzyDateField)
        ]

    def _update_errors(self, errors):
        # The model's errors, after its full_clean. A date its box could not read is said once, by the box: the
        # record, left without a value, would add "Enter a date." beside it.
        if hasattr(errors, "error_dict"):
            for name in self._fuzzy_fields():
                if name in self.errors:
                    errors.error_dict.pop(name, None)
            if not errors.error_dict:
                return
        super()._update_errors(errors)

    def clean(self):
        cleaned = super().clean()
        # The model's own clean() (run by the ModelForm next) checks the value, e.g. against the future.
        for name in self._fuzzy_fields():
            if name in cleaned and name not in self.errors:
                setattr(self.instance, name, cleaned[name])
        return cleaned
