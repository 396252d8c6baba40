"""Charts of the figures, drawn on the server as SVG: no script, nothing fetched, so the strict CSP holds.

A chart is drawn from a table as its reader gets it (exports/figures.py, after exports/public_figures.py
for a public one): a count withheld from the table is withheld from the chart too, never a bar whose
length gives it away. Colours are SVG presentation attributes, not styles, so the page's CSP, printing
and WeasyPrint's PDFs all draw them the same. Every chart stands beside its table, which carries the
same numbers for screen readers and the links to the records.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from exports.figures import Cell, Table

WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 56
ROW_HEIGHT = 22
BAR_HEIGHT = 14
LEGEND_HEIGHT = 20
LABEL_CHARACTERS = 34
# Distinct in colour and in lightness, for printing in grey too.
PALETTE = ["#0b5cad", "#b3261e", "#2e7d32", "#8e6c00", "#6a1b9a", "#00838f", "#5d4037", "#455a64"]
GRID_FILL = "#0b5cad"


@dataclass
class Segment:
    x: float
    width: float
    fill: str
    title: str


@dataclass
class Bar:
    y: float
    label: str
    title: str
    value: str
    value_x: float
    segments: list[Segment]
    uncertain: bool = False

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT - 3


@dataclass
class Key:
    x: float
    y: float
    fill: str
    label: str

    @property
    def text_x(self) -> float:
        return self.x + 18

    @property
    def text_y(self) -> float:
        return self.y + 10


@dataclass
class Square:
    x: float
    y: float
    width: float
    height: float
    opacity: float
    text: str
    title: str
    light_text: bool
    withheld: bool

    @property
    def text_x(self) -> float:
        return self.x + self.width - 4

    @property
    def text_y(self) -> float:
        return self.y + 14


@dataclass
class Heading:
    x: float
    label: str


@dataclass
class Chart:
    id: str
    title: str
    width: int
    height: int
    label_x: int = LABEL_WIDTH - 8
    bars: list[Bar] = field(default_factory=list)
    keys: list[Key] = field(default_factory=list)
    squares: list[Square] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    row_labels: list[tuple[float, str, str]] = field(default_factory=list)
    grid_fill: str = GRID_FILL
    empty: bool = False

    @property
    def description(self) -> str:
        """What a screen reader says of the picture: the numbers are in the table beside it."""
        return _("%(title)s: a chart of the table beside it, which gives the same numbers.") % {"title": self.title}


def _short(label: str, limit: int = LABEL_CHARACTERS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _rows(table: Table):
    if table.chart_rows:
        groups = [row for row in table.rows if row.style == "group"]
        rows = [row for row in table.rows if row.style == table.chart_rows]
        if table.chart_rows == "item" and len(groups) > 1:
            # Rows under different headings may share a label ("Art. 3" of two instruments): say whose.
            heading, labelled = "", []
            for row in table.rows:
                if row.style == "group":
                    heading = row.label
                elif row.style == "item":
                    labelled.append((row, f"{row.label} · {heading}"))
            return labelled
        return [(row, row.label) for row in rows]
    return [(row, row.label) for row in table.rows]


def _series(table: Table) -> list[int]:
    return table.chart_columns if table.chart_columns is not None else list(range(len(table.columns)))


def _legend(labels: list[str], fills: list[str]) -> tuple[list[Key], float]:
    keys, x, y = [], 0.0, 4.0
    for label, fill in zip(labels, fills, strict=True):
        text = _short(label, 40)
        width = 18 + 6.6 * len(text) + 14
        if x and x + width > WIDTH:
            x, y = 0.0, y + LEGEND_HEIGHT
        keys.append(Key(x, y, fill, text))
        x += width
    return keys, (y + LEGEND_HEIGHT + 6 if keys else 0)


def _bars(table: Table, entries: list[tuple[str, list[tuple[Cell, str, str]], str, bool]], top: float) -> list[Bar]:
    """Horizontal bars, one per entry (label, segments as (cell, fill, name), shown value, uncertain)."""
    # A withheld count draws no bar: its value counts as nothing here, and its label says why.
    largest = max((sum(cell.value or 0 for cell, _f, _n in parts) for _l, parts, _v, _u in entries), default=0)
    scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / largest if largest else 0
    bars = []
    for index, (label, parts, shown, uncertain) in enumerate(entries):
        y = top + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        x, segments = float(LABEL_WIDTH), []
        for cell, fill, name in parts:
            width = (cell.value or 0) * scale
            if width:
                segments.append(Segment(x, width, fill, f"{label} · {name}: {cell}" if name else f"{label}: {cell}"))
            x += width
        bars.append(Bar(y, _short(label), label, shown, x + 4, segments, uncertain))
    return bars


def _bar_chart(table: Table) -> Chart:
    stacked = table.chart == "stacked"
    series = _series(table)
    keys, top = _legend([table.columns[i] for i in series], [PALETTE[n % len(PALETTE)] for n in range(len(series))])
    if not stacked:
        keys, top = [], 0
    entries = []
    if table.chart == "totals":
        for n, index in enumerate(series):
            cell = table.totals.cells[index]
            entries.append((table.columns[index], [(cell, PALETTE[n % len(PALETTE)], "")], str(cell), False))
    else:
        for row, label in _rows(table):
            if stacked:
                parts = [(row.cells[i], PALETTE[n % len(PALETTE)], table.columns[i]) for n, i in enumerate(series)]
                shown = str(row.total) if row.total is not None and series == list(range(len(table.columns))) else ""
                if not shown:
                    values = [row.cells[i].value for i in series]
                    shown = str(sum(values)) if None not in values else ", ".join(str(row.cells[i]) for i in series)
            else:
                cell = row.cells[series[0]] if table.chart_columns else (row.total or row.cells[0])
                parts = [(cell, row.colour or PALETTE[0], "")]
                shown = str(cell)
            entries.append((label, parts, shown, row.style == "uncertain"))
    bars = _bars(table, entries, top)
    return Chart(
        id=f"chart-{table.slug}",
        title=table.title,
        width=WIDTH,
        height=int(top + max(len(entries), 1) * ROW_HEIGHT + 4),
        bars=bars,
        keys=keys,
        empty=not entries,
    )


def _grid_chart(table: Table) -> Chart:
    """A table without sums (a person may count in several cells) as a grid: the darker, the more."""
    column_width = max([48.0, *(7.0 * len(label) + 10 for label in table.columns)])
    columns_left = float(LABEL_WIDTH)
    width = max(WIDTH, int(columns_left + column_width * len(table.columns)))
    top = 24.0
    largest = max((cell.value or 0 for row in table.rows for cell in row.cells), default=0)
    squares, labels = [], []
    for r, row in enumerate(table.rows):
        y = top + r * ROW_HEIGHT
        labels.append((y + ROW_HEIGHT / 2 + 4, _short(row.label), row.label))
        for c, cell in enumerate(row.cells):
            share = (cell.value or 0) / largest if largest else 0
            squares.append(
                Square(
                    x=columns_left + c * column_width + 1,
                    y=y + 1,
                    width=column_width - 2,
                    height=ROW_HEIGHT - 2,
                    opacity=round(0.08 + 0.92 * share, 3) if cell.value else 0.0,
                    text=str(cell),
                    title=f"{row.label}, {table.columns[c]}: {cell}",
                    light_text=share > 0.5,
                    withheld=cell.value is None,
                )
            )
    centre = columns_left + column_width / 2
    headings = [Heading(centre + c * column_width, label) for c, label in enumerate(table.columns)]
    return Chart(
        id=f"chart-{table.slug}",
        title=table.title,
        width=width,
        height=int(top + max(len(table.rows), 1) * ROW_HEIGHT + 4),
        squares=squares,
        headings=headings,
        row_labels=labels,
        empty=not table.rows,
    )


def draw(table: Table) -> Chart:
    return _grid_chart(table) if table.chart == "grid" else _bar_chart(table)
