"""One document, four formats. Every value goes in as text: escaped in HTML, plain runs in Word."""

import csv
import io
import json

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.shared import Pt
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from exports.document import Document


class RefusingFetcher(URLFetcher):
    """The PDF renderer loads nothing: no network, no files. The document is self-contained, so a
    reference slipped into a record is dropped (WeasyPrint logs it) instead of being fetched."""

    def fetch(self, url, headers=None):
        raise ValueError(f"Exports fetch nothing; refused {url[:80]!r}")


refuse_to_fetch = RefusingFetcher(allowed_protocols=())


def render_pdf(document: Document) -> bytes:
    html = render_to_string("exports/case_summary.html", {"doc": document})
    return HTML(string=html, base_url=None, url_fetcher=refuse_to_fetch).write_pdf()


def render_docx(document: Document) -> bytes:
    word = WordDocument()
    properties = word.core_properties
    # Metadata names the export, never a person.
    properties.title = _("Case summary %(reference)s (%(id)s)") % {
        "reference": document.case["reference"],
        "id": document.export_id,
    }
    properties.author = properties.last_modified_by = ""
    properties.subject = properties.keywords = properties.comments = properties.category = ""
    word.styles["Normal"].font.name = "DejaVu Sans"
    word.styles["Normal"].font.size = Pt(10)
    footer = word.sections[0].footer.paragraphs[0]
    footer.text = document.footer

    word.add_heading(document.case.get("title") or document.case["reference"], level=1)
    word.add_paragraph(f"{document.case['reference']} · {document.case.get('region', '')} · {document.level_label}")
    if document.case.get("summary"):
        word.add_paragraph(document.case["summary"])
    if document.case.get("internal_notes"):
        word.add_paragraph(f"{_('Internal notes')}: {document.case['internal_notes']}")

    word.add_heading(_("People"), level=2)
    _table(
        word,
        [_("Person"), _("Role"), _("Current status")],
        [[p["label"], p["role"], p["status"]] for p in document.people],
    )
    for person in document.people:
        details = [f"{label}: {person[key]}" for key, label in _person_details() if person.get(key)]
        if details:
            word.add_paragraph(f"{person['label']} — " + "; ".join(details))

    word.add_heading(_("Timeline"), level=2)
    for event in document.events:
        _word_event(word, event)
        for account in event["other_accounts"]:
            paragraph = word.add_paragraph(f"{_('Another account (sources disagree)')}: ")
            paragraph.paragraph_format.left_indent = Pt(18)
            _word_event(word, account, indent=True)

    word.add_heading(_("Appeals"), level=2)
    _table(
        word,
        [_("Forum"), _("Reference"), _("Stage"), _("Interim measures"), _("Filed")],
        [
            [a["forum"], a["reference"] or a["title"], a["stage"], a["interim_measures"], a["filed"]]
            for a in document.appeals
        ],
    )
    word.add_heading(_("Sources"), level=2)
    for source in document.sources:
        word.add_paragraph(_source_line(source))
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _person_details():
    return [
        ("name_original_script", _("Name in original script")),
        ("birth", _("Born")),
        ("contacts", _("Contacts")),
        ("whereabouts", _("Current whereabouts")),
    ]


def _word_event(word, event, indent=False):
    line = " · ".join(filter(None, [event["when"], event["kind"], event["title"]]))
    paragraph = word.add_paragraph()
    paragraph.add_run(line).bold = True
    if indent:
        paragraph.paragraph_format.left_indent = Pt(18)
    extra = [
        event.get("people"),
        event.get("place"),
        event.get("appeal"),
        event.get("state"),
        event.get("detail"),
        f"“{event['quote']}”" if event.get("quote") else "",
        event.get("verification"),
        "; ".join(event.get("findings", [])),
        f"{_('Awarded')}: " + "; ".join(event["awards"]) if event.get("awards") else "",
        event.get("compliance"),
        f"{_('Sources')}: " + ", ".join(f"[{n}]" for n in event["sources"]) if event.get("sources") else "",
        f"{_('Internal note')}: {event['internal_notes']}" if event.get("internal_notes") else "",
    ]
    text = " — ".join(filter(None, extra))
    if text:
        body = word.add_paragraph(text)
        if indent:
            body.paragraph_format.left_indent = Pt(18)


def _table(word, headers, rows):
    table = word.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value or "")


def _source_line(source) -> str:
    parts = [
        f"[{source['number']}] {source['title']}",
        source["publisher"],
        source["date"],
        source["type"],
        source["url"],
    ]
    return ", ".join(filter(None, parts))


def render_json(document: Document) -> bytes:
    data = {
        "export": {
            "id": document.export_id,
            "level": document.level,
            "generated_at": document.generated_at.isoformat(),
            "organisation": document.organisation,
        },
        "case": document.case,
        "people": document.people,
        "events": document.events,
        "appeals": document.appeals,
        "sources": document.sources,
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()


CSV_COLUMNS = [
    "date",
    "when",
    "kind",
    "title",
    "people",
    "place",
    "detail",
    "quote",
    "verification",
    "appeal",
    "state",
    "findings",
    "awards",
    "compliance",
    "sources",
    "internal_notes",
]


def render_csv(document: Document) -> bytes:
    """The timeline as rows, each naming its case; then the numbered sources; then the footer."""
    buffer = io.StringIO()
    columns = [c for c in CSV_COLUMNS if any(c in e for e in document.events)] or CSV_COLUMNS[:4]
    writer = csv.writer(buffer)
    writer.writerow(["case", *columns])

    def row(event):
        values = [document.case["reference"]]
        for column in columns:
            value = event.get(column, "")
            if column == "sources":
                values.append(" ".join(f"[{n}]" for n in value))
            elif isinstance(value, list):
                values.append(_no_formula("; ".join(value)))
            else:
                values.append(_no_formula(value))
        return values

    for event in document.events:
        writer.writerow(row(event))
        for account in event["other_accounts"]:
            writer.writerow(row(account))
    writer.writerow([])
    writer.writerow(["source", "title", "publisher", "date", "type", "url"])
    for source in document.sources:
        writer.writerow(
            [f"[{source['number']}]", *(_no_formula(source[k]) for k in ("title", "publisher", "date", "type", "url"))]
        )
    writer.writerow([])
    writer.writerow([document.footer])
    return buffer.getvalue().encode("utf-8-sig")


def _no_formula(value) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula, even behind a tab or line break: keep it text.
    text = str(value)
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


RENDERERS = {
    "pdf": (render_pdf, "application/pdf"),
    "docx": (render_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "json": (render_json, "application/json"),
    "csv": (render_csv, "text/csv"),
}
