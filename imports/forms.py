from django import forms
from django.utils.translation import gettext_lazy as _

from imports import layout
from imports.reading import ENCODINGS


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    record_type = forms.ChoiceField(
        label=_("What a CSV file holds"),
        required=False,
        choices=[("", _("Tell from its columns")), *((t.key, t.label) for t in layout.RECORD_TYPES)],
        help_text=_("A workbook's sheets are told apart by their names (People, Status changes…)."),
    )
    encoding = forms.ChoiceField(
        label=_("Encoding of a CSV file"),
        required=False,
        choices=[("", _("Detect it")), *ENCODINGS],
    )


class MappingForm(forms.Form):
    """For each sheet: what it holds, and which of our columns each of its columns is (or none)."""

    save_as = forms.CharField(
        label=_("Save these columns for the next file as"),
        required=False,
        max_length=80,
        help_text=_("Optional: a name such as “Monitoring sheet 2019”."),
    )

    def __init__(self, *args, job, **kwargs):
        super().__init__(*args, **kwargs)
        self.job = job
        self.sheets = []
        type_choices = [("", _("Do not import this sheet")), *((t.key, t.label) for t in layout.RECORD_TYPES)]
        all_columns = sorted({c.name for t in layout.RECORD_TYPES for c in t.columns})
        column_choices = [("", _("(not imported)")), *((name, name) for name in all_columns)]
        for index, sheet in enumerate(job.sheets):
            part = job.mapping.get(sheet["name"], {})
            type_field = f"type_{index}"
            self.fields[type_field] = forms.ChoiceField(
                label=sheet["name"], choices=type_choices, required=False, initial=part.get("type", "")
            )
            column_fields = []
            for position, header in enumerate(sheet["headers"]):
                name = f"column_{index}_{position}"
                self.fields[name] = forms.ChoiceField(
                    label=header,
                    choices=column_choices,
                    required=False,
                    initial=part.get("columns", {}).get(header, ""),
                )
                column_fields.append(self[name])
            self.sheets.append({"sheet": sheet, "type": self[type_field], "columns": column_fields})

    def mapping(self) -> dict:
        chosen = {}
        for index, sheet in enumerate(self.job.sheets):
            record_type = self.cleaned_data.get(f"type_{index}", "")
            columns = {}
            if record_type:
                names = set(layout.BY_KEY[record_type].names)
                for position, header in enumerate(sheet["headers"]):
                    column = self.cleaned_data.get(f"column_{index}_{position}", "")
                    if column in names:
                        columns[header] = column
            chosen[sheet["name"]] = {"type": record_type, "columns": columns}
        return chosen


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read the check above; import these records under my name."), required=True
    )


class MergeForm(forms.Form):
    survivor = forms.ChoiceField(label=_("Keep the record (and codename) of"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Why these are one person"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Written in the history of every record that moves."),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [(str(p.pk), p.codename) for p in people]


class UndoMergeForm(forms.Form):
    reason = forms.CharField(label=_("Why the merge is undone"), widget=forms.Textarea(attrs={"rows": 2}))


class RoundTripForm(forms.Form):
    purpose = forms.CharField(
        label=_("Recipient or purpose"),
        max_length=300,
        help_text=_("Kept with the export record. The file holds identities: for the team only."),
    )
