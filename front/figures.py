"""The figures page: counts and charts of the cases a user may see, each number leading to its records.

The filters travel by GET (they carry no names: dates, a region, a forum, a case reference); the public
figures export is a POST, recorded like every export. Counting is exports/figures.py, the public rules
exports/public_figures.py, the charts exports/charts.py.
"""

from functools import partial
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from appeals.enums import Forum
from appeals.models import Appeal, AppealStep, ArticleFinding, Deadline, DeadlineOccurrence, OfficialResponse
from appeals.timeline import deadline_state
from cases.datefields import FuzzyDateField
from cases.enums import Level
from cases.fuzzydate import format_day
from cases.models import Case, Person, StatusChange, person_label
from exports.charts import draw
from exports.document import ExportRefused
from exports.figures import (
    SPANS_YEARS,
    TALLIES,
    build_tables,
    counted_behind,
    month_label,
    records_behind,
    scope_for,
)
from exports.forms import ExportForm
from exports.public_figures import SMALL_COUNT, export_public_figures, public_rules, withhold_small_counts

RECORDS_PER_PAGE = 50
FILTERS = ("start", "end", "region", "forum", "case", "level")
LEVELS = [
    (Level.INTERNAL, gettext_lazy("Everything you may see")),
    (Level.PUBLIC, gettext_lazy("Public figures: what may be published, small counts withheld")),
]


class FiguresFilterForm(forms.Form):
    start = FuzzyDateField(label=gettext_lazy("From"), required=False, help_text=gettext_lazy("Its first day."))
    end = FuzzyDateField(label=gettext_lazy("Until"), required=False, help_text=gettext_lazy("Its last day."))
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    forum = forms.ChoiceField(
        label=gettext_lazy("Forum"), choices=[("", gettext_lazy("Any")), *Forum.choices], required=False
    )
    case = forms.CharField(
        label=gettext_lazy("Case reference"), required=False, max_length=12, help_text=gettext_lazy("e.g. C-DEMO01")
    )
    level = forms.ChoiceField(label=gettext_lazy("Count"), choices=LEVELS, required=False, widget=forms.RadioSelect)

    def __init__(self, *args, user, regions=None, **kwargs):
        """``regions``, those of the cases ``user`` may see, when another form of the same page has read them."""
        super().__init__(*args, **kwargs)
        self.user = user
        if regions is None:
            regions = list(
                Case.objects.visible_to(user)
                .exclude(region="")
                .order_by("region")
                .values_list("region", flat=True)
                .distinct()
            )
        self.regions = regions
        self.fields["region"].choices = [("", _("Any")), *((region, region) for region in regions)]

    def clean_start(self):
        value = self.cleaned_data["start"]
        if value is not None and value.start is None:
            raise ValidationError(_("Give a first day the period starts on, e.g. Mar 2017."))
        return value.start if value else None

    def clean_end(self):
        value = self.cleaned_data["end"]
        if value is not None and value.end is None:
            raise ValidationError(_("Give a last day the period ends on, e.g. Dec 2018."))
        return value.end if value else None

    def clean_case(self):
        reference = self.cleaned_data["case"].strip()
        if not reference:
            return None
        case = Case.objects.visible_to(self.user).filter(reference__iexact=reference).first()
        if case is None:
            # The same answer for another team's case as for none: a reference is no oracle.
            raise ValidationError(_("No case you may see has the reference “%(value)s”.") % {"value": reference})
        return case

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError(_("The period ends before it starts."))
        return data

    def scope(self, today):
        data = self.cleaned_data if self.is_bound else {}
        return scope_for(
            self.user,
            today=today,
            region=data.get("region") or "",
            case=data.get("case"),
            forum=data.get("forum") or "",
            start=data.get("start"),
            end=data.get("end"),
            level=data.get("level") or Level.INTERNAL,
        )


class PublicFiguresForm(FiguresFilterForm):
    """The public export: the page's filters but the case (a case's public document is its summary)."""

    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("csv", gettext_lazy("CSV")), ("pdf", gettext_lazy("PDF with the charts"))],
    )
    purpose = forms.CharField(
        label=gettext_lazy("Recipient or purpose"),
        max_length=300,
        help_text=gettext_lazy("Kept with the export record, e.g. “Annual report 2024”."),
    )
    threshold = forms.IntegerField(
        label=gettext_lazy("Withhold counts under"), min_value=SMALL_COUNT, max_value=100, initial=SMALL_COUNT
    )
    language = ExportForm.base_fields["language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        del self.fields["case"]
        del self.fields["level"]
        for name in ("start", "end", "region", "forum"):
            self.fields[name].widget = forms.HiddenInput()


def _filters_query(form) -> dict:
    """The filters as given, for the links of the page: dates, a region, a forum, a case reference."""
    return {name: form.data[name] for name in FILTERS if form.is_bound and form.data.get(name)}


def _link(filters: dict, tally: str, key: dict) -> str:
    query = {**filters, "figure": tally, **{param: "" if value is None else value for param, value in key.items()}}
    return f"{reverse('front:figure_records')}?{urlencode(query)}"


def _charted(tables, filters):
    for table in tables:
        for row in [*table.rows, *([table.totals] if table.totals else [])]:
            for cell in [*row.cells, *([row.total] if row.total else [])]:
                if cell.tally:
                    cell.href = _link(filters, cell.tally, cell.key)
    return [(table, draw(table)) for table in tables]


def _page(request, form, export_form, status=200):
    today = timezone.localdate()
    tables = []
    if not (form.is_bound and not form.is_valid()):
        scope = form.scope(today)
        tables = build_tables(scope)
        if scope.level == Level.PUBLIC:
            withhold_small_counts(tables, SMALL_COUNT)
    elif status == 200:
        status = 400
    filters = _filters_query(form) if form.is_valid() or not form.is_bound else {}
    public = form.is_bound and form.is_valid() and form.cleaned_data.get("level") == Level.PUBLIC
    return render(
        request,
        "front/figures.html",
        {
            "form": form,
            "figures": _charted(tables, filters),
            "public": public,
            "public_rules": public_rules(SMALL_COUNT),
            "export_form": export_form,
            "case_filtered": form.is_bound and form.is_valid() and form.cleaned_data.get("case") is not None,
            "today": today,
        },
        status=status,
    )


def _export_form_for(request, form):
    initial = {"threshold": SMALL_COUNT}
    if form.is_bound and form.is_valid():
        initial.update({name: form.data.get(name, "") for name in ("start", "end", "region", "forum")})
    # The regions once per page: a large team's cases are read for them.
    return PublicFiguresForm(user=request.user, regions=form.regions, initial=initial)


@never_cache
@login_required
@require_GET
def figures(request):
    form = FiguresFilterForm(request.GET or None, user=request.user)
    return _page(request, form, _export_form_for(request, form))


@never_cache
@login_required
@require_POST
def figures_export(request):
    export_form = PublicFiguresForm(request.POST, user=request.user)
    if not export_form.is_valid():
        form = FiguresFilterForm(user=request.user, regions=export_form.regions)
        return _page(request, form, export_form, status=400)
    data = export_form.cleaned_data
    try:
        result = export_public_figures(
            user=request.user,
            request=request,
            fmt=data["format"],
            purpose=data["purpose"],
            threshold=data["threshold"],
            region=data["region"] or "",
            forum=data["forum"] or "",
            forum_label=Forum(data["forum"]).label if data["forum"] else "",
            start=data["start"],
            end=data["end"],
            language=data["language"] or None,
        )
    except ExportRefused as refusal:
        export_form.add_error(None, str(refusal))
        return _page(
            request, FiguresFilterForm(user=request.user, regions=export_form.regions), export_form, status=400
        )
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    response["X-Export-Id"] = str(result.record.pk)
    return response


# --- The records behind a number ------------------------------------------------------------------


def _case_cell(case) -> dict:
    return {"label": case.title, "reference": case.reference, "href": reverse("front:case_timeline", args=[case.pk])}


def _person_row(person) -> dict:
    since = person.seen_since
    return {
        "what": person_label(person),
        "href": reverse("front:person_detail", args=[person.pk]),
        "when": str(since) if since else "",
        "detail": person.get_seen_status_display(),
        "case": None,
    }


def _report_row(report) -> dict:
    return {
        "what": f"{person_label(report.person)}: {report.get_status_display()}",
        "href": reverse("front:person_detail", args=[report.person_id]),
        "when": str(report.when),
        "detail": report.get_verification_display(),
        "case": _case_cell(report.case),
    }


def _step_row(step) -> dict:
    return {
        "what": step.get_step_type_display(),
        "when": str(step.when),
        "detail": str(step.appeal),
        "case": _case_cell(step.appeal.case),
    }


def _response_row(response) -> dict:
    who = " · ".join(filter(None, [response.state, response.body]))
    return {
        "what": response.get_response_type_display(),
        "when": str(response.when),
        "detail": " — ".join(filter(None, [who, str(response.appeal) if response.appeal else ""])),
        "case": _case_cell(response.case),
    }


def _appeal_row(appeal) -> dict:
    stage = appeal.get_current_stage_display() if appeal.current_stage else _("No step yet")
    return {
        "what": " — ".join(filter(None, [str(appeal), appeal.title])),
        "when": str(appeal.filed or ""),
        "detail": stage,
        "case": _case_cell(appeal.case),
    }


def _deadline_row(deadline, today) -> dict:
    _state, label = deadline_state(deadline, today)
    return {
        "what": deadline.what,
        "when": format_day(deadline.next_due_on or deadline.due_on),
        "detail": f"{label} — {deadline.appeal}",
        "case": _case_cell(deadline.appeal.case),
    }


def _occurrence_row(occurrence) -> dict:
    received = format_day(occurrence.received_on) if occurrence.received_on else _("never received")
    return {
        "what": f"{occurrence.deadline.what} #{occurrence.number}",
        "when": format_day(occurrence.due_on),
        "detail": f"{occurrence.get_status_display()} ({received})",
        "case": _case_cell(occurrence.deadline.appeal.case),
    }


def _finding_row(finding) -> dict:
    return {
        "what": finding.label,
        "when": str(finding.step.when),
        "detail": f"{finding.step.get_step_type_display()} — {finding.step.appeal}",
        "case": _case_cell(finding.step.appeal.case),
    }


# Per kind of record: what to read along with it (a fixed number of queries per page), its order, its row.
RECORD_LISTS = {
    Person: (("identity",), ("codename",), _person_row),
    StatusChange: (("person__identity", "case"), ("date_start", "date_end", "created_at"), _report_row),
    AppealStep: (("appeal__case",), ("date_start", "date_end", "created_at"), _step_row),
    OfficialResponse: (("case", "appeal"), ("date_start", "date_end", "created_at"), _response_row),
    Appeal: (("case",), ("filed_start", "created_at"), _appeal_row),
    Deadline: (("appeal__case",), ("next_due_on", "due_on", "created_at"), None),
    DeadlineOccurrence: (("deadline__appeal__case",), ("due_on", "number"), _occurrence_row),
    ArticleFinding: (("step__appeal__case",), ("step__date_start", "created_at"), _finding_row),
}


def _ordered(records, order):
    first, *rest = order
    # An open start first, on every database (as EARLIEST_FIRST does for dated records).
    return records.order_by(F(first).asc(nulls_first=True), *rest)


def _chained_page(lists, number: int):
    """One page over several lists of records one after the other, in two queries per list at most; and the
    size of each list."""
    start = (number - 1) * RECORDS_PER_PAGE
    rows, sizes = [], []
    for records, row in lists:
        size = records.count()
        skipped = sum(sizes)
        if start < skipped + size and len(rows) < RECORDS_PER_PAGE:
            offset = max(start - skipped, 0)
            wanted = RECORDS_PER_PAGE - len(rows)
            rows.extend(row(record) for record in records[offset : offset + wanted])
        sizes.append(size)
    return rows, sizes


def _bad_request(request, message):
    return render(request, "front/figure_records.html", {"error": message}, status=400)


@never_cache
@login_required
@require_GET
def figure_records(request):
    form = FiguresFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        context = {"form": form, "error": _("Check the filters.")}
        return render(request, "front/figure_records.html", context, status=400)
    slugs = [slug for slug in request.GET.get("figure", "").split(",") if slug]
    tallies = [TALLIES.get(slug) for slug in slugs]
    if not tallies or None in tallies:
        return _bad_request(request, _("There is no such figure."))
    key = {}
    for name, value in request.GET.items():
        dims = [tally.dim(name) for tally in tallies]
        if name in FILTERS or name in {"figure", "page"}:
            continue
        # A value no count of this figure is told apart by would be ignored, and the list would not be its records.
        if None in dims:
            return _bad_request(request, _("“%(name)s” does not apply to this figure.") % {"name": name})
        try:
            key[name] = dims[0].parse(value)
        except ValueError:
            message = _("“%(value)s” is not a value of “%(name)s”.") % {"value": value, "name": name}
            return _bad_request(request, message)
    today = timezone.localdate()
    scope = form.scope(today)
    behind = [records_behind(tally, scope, key) for tally in tallies]
    lists = []
    for records in behind:
        related, order, row = RECORD_LISTS[records.model]
        lists.append((_ordered(records.select_related(*related), order), row or partial(_deadline_row, today=today)))
    page = request.GET.get("page") or "1"
    number = int(page) if page.isdigit() else 0
    rows, sizes = _chained_page(lists, max(number, 1))
    total = sum(sizes)
    # A figure of records counts the list's size; one of people among reports (or appeals among steps) counts apart.
    counted = sum(
        size if tally.counted == "pk" else counted_behind(tally, records)
        for tally, records, size in zip(tallies, behind, sizes, strict=True)
    )
    described = [str(tally.title) for tally in tallies]
    if number < 1 or (number > 1 and not rows):
        return _bad_request(request, _("There is no page “%(page)s”.") % {"page": page})
    query = request.GET.copy()
    query.pop("page", None)
    back = {name: request.GET[name] for name in FILTERS if request.GET.get(name)}
    return render(
        request,
        "front/figure_records.html",
        {
            "title": " + ".join(described),
            "labels": _described(tallies[0], _with_forum(tallies[0], key, form.cleaned_data.get("forum"))),
            "counted": tallies[0].how_many % {"n": counted},
            "total": total,
            "rows": rows,
            "page": number,
            "pages": max(1, -(-total // RECORDS_PER_PAGE)),
            "query": query.urlencode(),
            "back": f"{reverse('front:figures')}?{urlencode(back)}" if back else reverse("front:figures"),
            "public": scope.level == Level.PUBLIC,
        },
    )


def _with_forum(tally, key: dict, forum: str) -> dict:
    """The number's values with its forum, which its link carries as the page's filter of the same name, in the
    order of the tally's columns."""
    values = {**key, "forum": forum} if forum and tally.dim("forum") is not None else key
    return {dim.param: values[dim.param] for dim in tally.by if dim.param in values}


def _described(tally, key: dict) -> list[str]:
    """The values a number stands for, as its table labels them ("Mar 2017", "Detained (acknowledged)")."""
    labels = []
    for name, value in key.items():
        if name == "year" and "month" in key and value >= 0:
            continue
        if name == "month":
            if key.get("year", SPANS_YEARS) >= 0:
                labels.append(month_label(key["year"], value))
            continue
        labels.append(tally.dim(name).label(value))
    return labels
