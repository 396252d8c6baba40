"""Public figures: counts a public document may state, small ones withheld, recorded like every export.

What is counted (exports/figures.py at the public level) follows the public case summary
(exports/levels.py, exports/document.py): only established reports; what concerns someone who
consented to publicity counts like any public fact; what concerns only restricted people without that
consent is not counted at all. Everything else concerns only people who did not consent to publicity:
it may be counted, never told. So that no count tells something about one of them:

1. **Small counts.** A count above zero and under the threshold (default 5) is shown as "<5".
2. **Small shares.** A count of any size is withheld ("x") when the part of it that concerns people
   without consent is above zero and under the threshold: those who consented are public, and a reader
   who knows their cases could subtract them and be left with one or two people.
3. **Sums.** A reader can check each sum a table states (a row and its total, a column and its total, the
   months of a year and the year). A sum with exactly one count withheld would give it back, so its
   smallest other count is withheld as well ("x"), again and again until no sum has exactly one.
4. **Averages** (days to answer) are shown only over enough answers, by rules 1 and 2.

Zeros are shown: they say that nobody is concerned. Known limits: tables that count overlapping records
in different ways (the replies owed under interim measures appear in two tables) are suppressed each by
its own sums, and figures exported at different times or with different filters can be compared with each
other; each export is recorded with who made it, for whom, and which cases it counted.
"""

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint import HTML

from cases.access_log import record_access
from cases.enums import AccessAction, Level
from cases.fuzzydate import format_moment
from cases.models import Case
from exports.charts import draw
from exports.document import ExportRefused
from exports.figures import Cell, Table, average_days, build_tables, period_label, scope_for
from exports.render import _no_formula, refuse_to_fetch
from exports.services import ExportResult, _purpose, _record, document_language

SMALL_COUNT = 5
WITHHELD = "x"
FORMATS = {"csv": "text/csv", "pdf": "application/pdf"}


def _primary(cell: Cell, threshold: int) -> str | None:
    if 0 < cell.n < threshold:
        return f"<{threshold}"
    if 0 < cell.withheld < threshold:
        return WITHHELD
    return None


def withhold_small_counts(tables: list[Table], threshold: int = SMALL_COUNT) -> None:
    """Mark in place what the tables may not show, by the rules above (all tables at once, for shared sums)."""
    lines = [line for table in tables for line in table.lines] + _shared_sums(tables)
    for table in tables:
        for cell in _cells(table):
            cell.shown = _primary(cell, threshold)
    changed = True
    while changed:
        changed = False
        for members, total in lines:
            entries = [*members, total]
            if sum(cell.shown is not None for cell in entries) != 1:
                continue
            open_ones = [cell for cell in entries if cell.shown is None]
            # The smallest count that still hides something; the total only when nothing else is left.
            pick = min(open_ones, key=lambda cell: (cell.n == 0, cell is total, cell.n))
            pick.shown = WITHHELD
            changed = True
    for table in tables:
        if table.extra_column:
            for row in [*table.rows, *([table.totals] if table.totals else [])]:
                row.extra = _average(row.total, threshold)


def _cells(table: Table) -> list[Cell]:
    rows = [*table.rows, *([table.totals] if table.totals else [])]
    return [cell for row in rows for cell in [*row.cells, *([row.total] if row.total else [])]]


def _average(cell: Cell | None, threshold: int) -> str:
    if cell is None or not cell.timed:
        return ""
    if cell.timed < threshold or 0 < cell.timed_withheld < threshold:
        return WITHHELD
    return str(average_days(cell))


def _shared_sums(tables: list[Table]) -> list:
    """The months of each year (and the dates spanning years) add up to the year's row of the other table."""
    by_slug = {table.slug: table for table in tables}
    years, months = by_slug.get("events_years"), by_slug.get("events_months")
    if years is None or months is None:
        return []
    year_rows = {tuple(row.cells[0].key.items()): row for row in years.rows}
    grouped: dict = {}
    for row in months.rows:
        year_key = (("year", row.cells[0].key["year"]),)
        grouped.setdefault(year_key, []).append(row)
    lines = []
    for year_key, month_rows in grouped.items():
        year_row = year_rows.get(year_key)
        if year_row is None:
            continue
        for index, total in enumerate(year_row.cells):
            lines.append(([row.cells[index] for row in month_rows], total))
        lines.append(([row.total for row in month_rows], year_row.total))
    return lines


@dataclass
class PublicFigures:
    """What a public figures export holds, in every format."""

    export_id: str
    generated_at: datetime
    organisation: str
    filters: list[tuple[str, str]]
    threshold: int
    tables: list[Table]

    @property
    def footer(self) -> str:
        moment = f"{format_moment(self.generated_at)} {timezone.get_current_timezone_name()}"
        return _("Export %(id)s · %(level)s · %(date)s · %(organisation)s") % {
            "id": self.export_id,
            "level": Level.PUBLIC.label,
            "date": moment,
            "organisation": self.organisation,
        }

    @property
    def rules(self) -> list[str]:
        return public_rules(self.threshold)

    @property
    def charted(self) -> list:
        return [(table, draw(table)) for table in self.tables]


def public_rules(threshold: int) -> list[str]:
    """The rules as the reader of the figures is told them."""
    return [
        _(
            "Only established (confirmed or credible) reports are counted; nothing that concerns only "
            "restricted people who did not consent to publicity."
        ),
        _("“<%(n)d”: a count between 1 and %(m)d, not shown.") % {"n": threshold, "m": threshold - 1},
        _(
            "“x”: a count withheld, either because few of the people it concerns did not consent to publicity, "
            "or so that a total does not give a withheld count away."
        ),
    ]


def _label_rows(table: Table):
    heading = ""
    for row in table.rows:
        if row.style == "group":
            heading = row.label
            label = row.label
        elif row.style == "item":
            label = f"{heading} · {row.label}"
        else:
            label = row.label
        yield label, row


def render_csv(figures: PublicFigures) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Public figures"), _no_formula(figures.organisation)])
    for name, value in figures.filters:
        writer.writerow([name, _no_formula(value)])
    for rule in figures.rules:
        writer.writerow([rule])
    for table in figures.tables:
        writer.writerow([])
        writer.writerow([table.title, _("counting %(unit)s") % {"unit": table.unit}])
        header = ["", *table.columns]
        if table.has_totals:
            header.append(table.total_label)
        if table.extra_column:
            header.append(table.extra_column)
        writer.writerow([_no_formula(value) for value in header])
        rows = list(_label_rows(table))
        if table.totals:
            rows.append((table.totals.label, table.totals))
        for label, row in rows:
            if not row.cells and row.style == "group":
                continue
            values = [label, *(str(cell) for cell in row.cells)]
            if table.has_totals:
                values.append(str(row.total) if row.total is not None else "")
            if table.extra_column:
                values.append(row.extra)
            writer.writerow([_no_formula(value) for value in values])
        for note in table.notes:
            writer.writerow([note])
    writer.writerow([])
    writer.writerow([figures.footer])
    return buffer.getvalue().encode("utf-8-sig")


def render_pdf(figures: PublicFigures) -> bytes:
    html = render_to_string("exports/public_figures.html", {"figures": figures})
    return HTML(string=html, base_url=None, url_fetcher=refuse_to_fetch).write_pdf()


RENDERERS = {"csv": render_csv, "pdf": render_pdf}


def filters_described(*, start: date | None, end: date | None, region: str, forum_label: str) -> list[tuple[str, str]]:
    return [
        (_("Period"), period_label(start, end)),
        (_("Region"), region or _("all regions")),
        (_("Forum"), forum_label or _("all forums")),
    ]


def export_public_figures(
    *,
    user,
    request,
    fmt: str,
    purpose: str,
    threshold: int = SMALL_COUNT,
    region: str = "",
    forum: str = "",
    forum_label: str = "",
    start: date | None = None,
    end: date | None = None,
    language: str | None = None,
) -> ExportResult:
    """The public figures of the cases ``user`` may see, as CSV or PDF, recorded with the cases they counted."""
    if fmt not in FORMATS:
        raise ExportRefused(_("Public figures are exported as CSV or PDF."))
    if threshold < SMALL_COUNT:
        raise ExportRefused(_("Counts under %(n)d are always withheld; choose %(n)d or more.") % {"n": SMALL_COUNT})
    purpose = _purpose(purpose)
    language = document_language(language)
    today = timezone.localdate()
    scope = scope_for(user, today=today, region=region, forum=forum, start=start, end=end, level=Level.PUBLIC)
    export_id = uuid.uuid4().hex
    # The tables are labelled as they are built: in the document's language, not the page's.
    with translation.override(language):
        tables = build_tables(scope)
        withhold_small_counts(tables, threshold)
        figures = PublicFigures(
            export_id=export_id,
            generated_at=timezone.now(),
            organisation=settings.ORGANISATION_NAME,
            filters=filters_described(start=start, end=end, region=region, forum_label=forum_label),
            threshold=threshold,
            tables=tables,
        )
        content = RENDERERS[fmt](figures)
    filename = f"figures-public-{export_id[:8]}.{fmt}"
    counted = (Case.objects.all() if scope.cases is None else scope.cases).only("reference").order_by("reference")
    with transaction.atomic():
        record = _record(
            export_id=export_id,
            user=user,
            cases=list(counted),
            level=Level.PUBLIC,
            fmt=fmt,
            purpose=purpose,
            language=language,
            content=content,
            filename=filename,
        )
        record_access(request, AccessAction.EXPORT, obj=record, detail=f"public figures {fmt} sha256 {record.sha256}")
    return ExportResult(content, filename, FORMATS[fmt], record)
