from django import forms
from django.utils.translation import gettext_lazy as _

from exports.levels import Format, Level


class ExportForm(forms.Form):
    level = forms.ChoiceField(label=_("For"), choices=Level.choices, initial=Level.PARTNER)
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices, initial=Format.PDF)
    purpose = forms.CharField(
        label=_("Recipient or purpose"),
        max_length=300,
        help_text=_("Kept with the export record, e.g. “UN SR on torture, follow-up letter”."),
    )
