"""Building admin form submissions the way the browser sends them."""

from html.parser import HTMLParser


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


class _FormReader(HTMLParser):
    """What a browser would submit from the first form with a CSRF token: every field as shown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self._select = None
        self._multiple = False
        self._first_option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.values.setdefault(name, []).append(attrs.get("value", "on" if attrs.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self._select, self._multiple, self._first_option = name, "multiple" in attrs, None
            self.values.setdefault(name, [])
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = attrs.get("value", "")
            if "selected" in attrs:
                self.values[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            # A browser sends nothing for an empty multiple choice, and the first option for a single one.
            if not self.values[self._select]:
                if self._multiple or self._first_option is None:
                    del self.values[self._select]
                else:
                    self.values[self._select] = [self._first_option]
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][0] += data.removeprefix("\n") if not self.values[self._textarea][0] else data


def form_as_shown(html: str) -> dict:
    """The fields of a page's form with the values it displays, ready to post back unchanged."""
    reader = _FormReader()
    reader.feed(html)
    return {
        name: values if len(values) > 1 else (values[0] if values else "") for name, values in reader.values.items()
    }
