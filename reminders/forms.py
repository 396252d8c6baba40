from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from appeals.enums import Party
from reminders.enums import DigestFrequency
from reminders.models import MAX_DAYS_AHEAD


class ReminderSettingsForm(forms.Form):
    frequency = forms.ChoiceField(label=_("Email digest"), choices=DigestFrequency.choices, widget=forms.RadioSelect)
    days_ahead = forms.IntegerField(
        label=_("Warn this many days ahead"),
        min_value=1,
        max_value=MAX_DAYS_AHEAD,
        help_text=_("Deadlines due within this many days are listed, and the calendar's alarms ring this early."),
    )
    parties = forms.MultipleChoiceField(
        label=_("Deadlines due from"),
        choices=Party.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one: whose deadlines should you be reminded of?")},
    )
    language = forms.ChoiceField(label=_("Language of the emails and the calendar"), choices=settings.LANGUAGES)
