"""Building admin form submissions the way the browser sends them."""


def formset(prefix: str, rows=(), initial: int = 0) -> dict:
    """Management form plus rows for one inline; the first ``initial`` rows are existing records."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for field, value in row.items():
            data[f"{prefix}-{index}-{field}"] = value
    return data


CASE_INLINES = ("memberships", "status_changes", "appeals", "responses", "sources")
APPEAL_INLINES = ("steps", "deadlines", "responses")
PERSON_INLINES = ("identity", "name_variants", "memberships")


def case_form(*, team=(), reason="Opened after a call from the lawyer", **inlines) -> dict:
    data = {
        "team": [str(user.pk) for user in team],
        "title": "Two men seized",
        "summary": "",
        "region": "Chechnya",
        "opened_on": "2021-02-05",
        "confidentiality": "confidential",
        "internal_notes": "",
        "change_reason": reason,
    }
    for prefix in CASE_INLINES:
        data.update(inlines.get(prefix) or formset(prefix))
    return data


def appeal_form(case, *, reason="Filed today", **fields_and_inlines) -> dict:
    data = {
        "case": str(case.pk),
        "forum": "ecthr",
        "kind": "application",
        "mandates": "",
        "reference": "12345/21",
        "title": "",
        "filed": "5 Feb 2021",
        "filed_by": "",
        "notes": "",
        "change_reason": reason,
    }
    for prefix in APPEAL_INLINES:
        data.update(fields_and_inlines.pop(prefix, None) or formset(prefix))
    data.update(fields_and_inlines)
    return data
