"""Records out in the import layout (imports/layout.py), so that what was imported can be taken out again, and
a sheet taken out, corrected and imported again updates the records it came from (its ids are ours).

It is an internal export: identities in the clear, for staff allowed them, of cases they may see; recorded
like every export (ExportRecord with the file's SHA-256, an access record per case).
"""

import io
from datetime import date

import openpyxl
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell

from appeals.models import Appeal, AppealStep, OfficialResponse
from cases.enums import Level
from cases.fuzzydate import FuzzyDate, format_day
from cases.models import Case, CaseMembership, NameVariant, Person, Source, StatusChange, may_see_identities
from exports.enums import Format
from exports.services import record_file_export
from imports import layout

# Our column → the attribute it is read from, where the names differ.
ATTRIBUTES = {
    "case_id": "case_id",
    "person_id": "person_id",
    "appeal_id": "appeal_id",
    "step": "step_type",
    "reply_due_on": "response_due_on",
}


def _cell_text(value) -> object:
    if value is None:
        return ""
    if isinstance(value, FuzzyDate):
        return str(value)
    if isinstance(value, date):
        return format_day(value)
    if isinstance(value, int | str):
        return value
    return str(value)


def _row(sheet, record, record_type, extra: dict) -> list:
    cells = []
    for column in record_type.columns:
        if column.name in extra:
            value = extra[column.name]
        elif column.name == record_type.id_column:
            value = str(record.pk)
        else:
            value = getattr(record, ATTRIBUTES.get(column.name, column.name), "")
        cell = WriteOnlyCell(sheet, value=_cell_text(value))
        if isinstance(cell.value, str) and cell.value.startswith("="):
            # Text that looks like a formula stays text: the importer never evaluates formulas.
            cell.data_type = "s"
        cells.append(cell)
    return cells


def _ids(values) -> str:
    return f"{layout.LIST_SEPARATOR} ".join(str(v) for v in values)


def build_workbook(user, cases) -> bytes:
    case_ids = [c.pk for c in cases]
    workbook = openpyxl.Workbook(write_only=True)

    def sheet_of(record_type):
        sheet = workbook.create_sheet(record_type.sheet)
        sheet.append(record_type.names)
        return sheet

    sheet = sheet_of(layout.CASES)
    for case in cases:
        sheet.append(_row(sheet, case, layout.CASES, {"case_id": str(case.pk)}))
    people = Person.objects.visible_to(user).filter(memberships__case__in=case_ids).distinct().order_by("codename")
    sheet = sheet_of(layout.PEOPLE)
    for person in people.select_related("identity"):
        identity = person.identity_or_none
        names = [v.name for v in NameVariant.objects.filter(person=person)]
        known = {identity.legal_name, identity.name_original_script} if identity else set()
        extra = {
            name: getattr(identity, name, "") for name in layout.PEOPLE.names if identity and hasattr(identity, name)
        }
        extra["other_names"] = f"{layout.LIST_SEPARATOR} ".join(n for n in names if n not in known)
        sheet.append(_row(sheet, person, layout.PEOPLE, extra))
    sheet = sheet_of(layout.CASE_PEOPLE)
    for membership in CaseMembership.objects.filter(case__in=case_ids).order_by("case_id", "created_at"):
        sheet.append(_row(sheet, membership, layout.CASE_PEOPLE, {}))
    sheet = sheet_of(layout.SOURCES)
    for source in Source.objects.filter(case__in=case_ids).order_by("case_id", "created_at"):
        sheet.append(_row(sheet, source, layout.SOURCES, {}))
    sheet = sheet_of(layout.STATUS_CHANGES)
    for change in StatusChange.objects.filter(case__in=case_ids).order_by("person_id", "sequence"):
        sources = _ids(change.sources.values_list("pk", flat=True))
        sheet.append(_row(sheet, change, layout.STATUS_CHANGES, {"sources": sources}))
    sheet = sheet_of(layout.APPEALS)
    for appeal in Appeal.objects.filter(case__in=case_ids).order_by("case_id", "created_at"):
        people_ids = _ids(appeal.people.values_list("pk", flat=True))
        sheet.append(_row(sheet, appeal, layout.APPEALS, {"people": people_ids}))
    sheet = sheet_of(layout.APPEAL_STEPS)
    for step in AppealStep.objects.filter(appeal__case__in=case_ids).order_by("appeal_id", "created_at"):
        sheet.append(
            _row(sheet, step, layout.APPEAL_STEPS, {"sources": _ids(step.sources.values_list("pk", flat=True))})
        )
    sheet = sheet_of(layout.RESPONSES)
    for response in OfficialResponse.objects.filter(case__in=case_ids).order_by("case_id", "created_at"):
        sources = _ids(response.sources.values_list("pk", flat=True))
        sheet.append(
            _row(sheet, response, layout.RESPONSES, {"sources": sources, "appeal_id": response.appeal_id or ""})
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_records(*, user, case_ids, purpose: str, request=None):
    """The cases' records as a workbook in the import layout: an internal export, recorded."""
    if not may_see_identities(user):
        raise PermissionDenied(_("Only staff allowed to read identities may take records out in the import layout."))
    cases = list(Case.objects.visible_to(user).filter(pk__in=case_ids).order_by("reference"))
    # Dates and vocabularies as the importer reads them in any language: English, values not labels.
    with translation.override("en"):
        content = build_workbook(user, cases)
    with transaction.atomic():
        return record_file_export(
            user=user,
            cases=cases,
            level=Level.INTERNAL,
            fmt=Format.XLSX,
            purpose=purpose,
            content=content,
            filename="records.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            request=request,
        )
