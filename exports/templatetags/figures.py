"""How a figure reads, on the page and in the public PDF alike: its table and its chart.

Written as Python rather than templates: a page holds a thousand counts and hundreds of shapes, and the template
engine made drawing them most of a page whose counts are kept (docs/performance.md). Every value that is not the
code's own goes through ``escape`` as it is put in; the whole is marked safe once. Coordinates are written with
a full stop whatever the language, as SVG reads them (a template localised 0.54 as "0,54" in Russian).
"""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def figure_cell(cell):
    """Withheld ("<5", "x"), a link to the records it counts, or the number."""
    if cell.value is None:
        return format_html('<span class="withheld" title="{}">{}</span>', _("Withheld"), cell)
    if cell.href and cell.n:
        return format_html('<a href="{}">{}</a>', cell.href, cell)
    return escape(str(cell))


def _cells(cells) -> str:
    return "".join(f"<td>{figure_cell(cell)}</td>" for cell in cells)


@register.simple_tag
def figure_table(table) -> SafeString:
    columns = "".join(f'<th scope="col">{escape(column)}</th>' for column in table.columns)
    total_heading = f'<th scope="col">{escape(table.total_label)}</th>' if table.has_totals else ""
    extra_heading = f'<th scope="col">{escape(table.extra_column)}</th>' if table.extra_column else ""
    counting = escape(_("counting %(unit)s") % {"unit": table.unit})
    parts = [
        f'<table class="figures" id="table-{escape(table.slug)}">\n'
        f'  <caption>{escape(table.title)} <span class="muted">({counting})</span></caption>\n'
        f"  <thead><tr>\n    <td></td>{columns}\n    {total_heading}\n    {extra_heading}\n  </tr></thead>\n"
        f"  <tbody>"
    ]
    span = int(table.width) + 1
    for row in table.rows:
        if row.cells:
            parts.append(
                f'\n    <tr class="row-{escape(row.style or "plain")}">\n'
                f'      <th scope="row">{escape(row.label)}</th>\n'
                f"      {_cells(row.cells)}\n"
                f"      {_ends(row, table, '      ')}\n"
                f"    </tr>\n  "
            )
        else:
            parts.append(
                f'\n    <tr class="row-group"><th scope="rowgroup" colspan="{span}">{escape(row.label)}</th></tr>\n  '
            )
    if not table.rows:
        parts.append(f'<tr><td colspan="{span}">{escape(_("Nothing to count."))}</td></tr>')
    parts.append("</tbody>\n  ")
    if table.totals:
        totals = table.totals
        parts.append(
            f'<tfoot><tr>\n    <th scope="row">{escape(totals.label)}</th>\n'
            f"    {_cells(totals.cells)}\n"
            f"    {_ends(totals, table, '    ')}\n"
            f"  </tr></tfoot>"
        )
    parts.append("\n</table>\n")
    # Safe: every value put in above is escape()d, a cell from figure_cell (format_html), or a number made one by
    # int(), float() or _n; the rest is this module's own markup.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 - values escaped or numbers (above)


def _ends(row, table, indent: str) -> str:
    """A row's total and extra value, in the columns the table has for them, each on a line of its own."""
    total = f'<td class="total">{figure_cell(row.total) if row.total else ""}</td>' if table.has_totals else ""
    extra = f"<td>{escape(row.extra) if row.extra else '—'}</td>" if table.extra_column else ""
    return f"{total}\n{indent}{extra}"


def _n(number) -> str:
    return f"{number:.1f}"


@register.simple_tag
def figure_chart(chart) -> SafeString:
    width, height = int(chart.width), int(chart.height)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img" aria-labelledby="{escape(chart.id)}-title"'
        f' font-family="DejaVu Sans, Verdana, sans-serif" font-size="12" fill="#1b1f23">\n'
        f'<title id="{escape(chart.id)}-title">{escape(chart.description)}</title>\n'
    ]
    for key in chart.keys:
        parts.append(
            f'<rect x="{_n(key.x)}" y="{_n(key.y)}" width="12" height="12" fill="{escape(key.fill)}"/>'
            f'<text x="{_n(key.text_x)}" y="{_n(key.text_y)}">{escape(key.label)}</text>\n'
        )
    for bar in chart.bars:
        parts.append(
            f"<g><title>{escape(bar.title)}: {escape(bar.value)}</title>\n"
            f'<text x="{int(chart.label_x)}" y="{_n(bar.text_y)}" text-anchor="end">{escape(bar.label)}</text>\n'
        )
        for segment in bar.segments:
            fill = escape(segment.fill)
            uncertain = f' fill-opacity="0.35" stroke="{fill}" stroke-dasharray="3 2"' if bar.uncertain else ""
            parts.append(
                f'<rect x="{_n(segment.x)}" y="{_n(bar.y)}" width="{_n(segment.width)}" height="14" fill="{fill}"'
                f"{uncertain}><title>{escape(segment.title)}</title></rect>\n"
            )
        parts.append(f'<text x="{_n(bar.value_x)}" y="{_n(bar.text_y)}">{escape(bar.value)}</text></g>\n')
    for heading in chart.headings:
        parts.append(
            f'<text x="{_n(heading.x)}" y="16" text-anchor="middle" font-size="11">{escape(heading.label)}</text>\n'
        )
    for y, label, title in chart.row_labels:
        parts.append(
            f'<text x="{int(chart.label_x)}" y="{_n(y)}" text-anchor="end"><title>{escape(title)}</title>'
            f"{escape(label)}</text>\n"
        )
    for square in chart.squares:
        if square.withheld:
            paint = 'fill="#eeeeee" stroke="#767676" stroke-dasharray="2 2"'
        else:
            paint = f'fill="{escape(chart.grid_fill)}" fill-opacity="{float(square.opacity)}" stroke="#d0d7de"'
        light = ' fill="#ffffff"' if square.light_text else ""
        parts.append(
            f"<g><title>{escape(square.title)}</title>"
            f'<rect x="{_n(square.x)}" y="{_n(square.y)}" width="{_n(square.width)}" height="{_n(square.height)}"'
            f' {paint}/><text x="{_n(square.text_x)}" y="{_n(square.text_y)}" text-anchor="end"{light}>'
            f"{escape(square.text)}</text></g>\n"
        )
    if chart.empty:
        parts.append(f'<text x="8" y="16">{escape(_("Nothing to count."))}</text>')
    parts.append("\n</svg>\n")
    # Safe: every value put in above is escape()d, a cell from figure_cell (format_html), or a number made one by
    # int(), float() or _n; the rest is this module's own markup.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 - values escaped or numbers (above)
