from functools import cached_property

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.enums import Level
from exports.document import left_out
from exports.enums import Format


class ExportForm(forms.Form):
    level = forms.ChoiceField(label=_("For"), choices=Level.choices, initial=Level.PARTNER)
    # The import layout is its own action (imports/roundtrip.py), not a rendering of the case document.
    format = forms.ChoiceField(
        label=_("Format"), choices=[c for c in Format.choices if c[0] != Format.XLSX], initial=Format.PDF
    )
    purpose = forms.CharField(
        label=_("Recipient or purpose"),
        max_length=300,
        help_text=_("Kept with the export record, e.g. “UN SR on torture, follow-up letter”."),
    )
    language = forms.ChoiceField(
        label=_("Language of the document"),
        choices=settings.LANGUAGES,
        # Left out, the document is in the language of the interface it was asked from.
        required=False,
        help_text=_("Of its headings, dates and vocabularies, for its recipient; what staff wrote stays as written."),
    )

    def __init__(self, *args, case=None, user=None, timeline=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A case page's form says what each level will leave out of that case; the admin's bulk form has none.
        # The page passes the timeline it built, when it is the whole one as of now, so it is not built twice.
        self.case, self.user, self.timeline = case, user, timeline
        self.fields["language"].initial = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if case is not None and not self.is_bound:
            # Offered first: a level this case's consents allow, not one whose export would be refused.
            refused = {level.level for level in self.left_out if level.refused}
            if self.fields["level"].initial in refused:
                self.fields["level"].initial = Level.INTERNAL

    @cached_property
    def left_out(self):
        return left_out(self.case, user=self.user, timeline=self.timeline) if self.case is not None else []
