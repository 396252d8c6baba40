"""Filter forms of the advocate pages: every value is checked, and a bad one gets a clear message."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appeals.enums import EventKind, Forum
from appeals.models import Appeal, Deadline, articles_found_violated, cases_with_violation_of
from cases.datefields import DayField
from cases.enums import Status, Verification
from cases.models import CaseMembership, matched_once, person_label

ANY = _("Any")


def _blank(choices, label=ANY):
    return [("", label), *choices]


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Codename, name (any spelling) or reference"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Current status"), choices=_blank(Status.choices), required=False)
    forum = forms.ChoiceField(label=_("Appeal to"), choices=_blank(Forum.choices), required=False)
    region = forms.CharField(label=_("Region"), required=False, max_length=100)
    verification = forms.ChoiceField(
        label=_("Latest status verified as"), choices=_blank(Verification.choices), required=False
    )
    whereabouts_unknown = forms.BooleanField(label=_("Whereabouts unknown"), required=False)
    overdue = forms.BooleanField(label=_("Has an overdue deadline"), required=False)
    violation = forms.ChoiceField(label=_("Violation found of"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["violation"].choices = _blank(articles_found_violated(user))

    def narrows(self) -> bool:
        """Whether the list is less than every case the user may see: a filter given, or one refused."""
        return self.is_bound and (not self.is_valid() or any(self.cleaned_data.values()))

    def apply(self, cases):
        data = self.cleaned_data
        if data["q"]:
            cases = matched_once(cases, cases.matching(data["q"], self.user))
        people = CaseMembership.objects.filter(case=OuterRef("pk"))
        # Each person's status as this case records it: never what another team's case says.
        if data["status"]:
            cases = cases.filter(Exists(people.filter(current_status=data["status"])))
        if data["whereabouts_unknown"]:
            cases = cases.filter(Exists(people.filter(current_status=Status.DISAPPEARED)))
        if data["verification"]:
            cases = cases.filter(Exists(people.filter(latest_status_change__verification=data["verification"])))
        if data["forum"]:
            cases = cases.filter(Exists(Appeal.objects.filter(case=OuterRef("pk"), forum=data["forum"])))
        if data["region"]:
            cases = cases.filter(region__icontains=data["region"])
        if data["violation"]:
            cases = cases.filter(pk__in=cases_with_violation_of(data["violation"]))
        if data["overdue"]:
            cases = cases.filter(Exists(Deadline.objects.overdue().filter(appeal__case=OuterRef("pk"))))
        return cases


class TimelineFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(
        label=_("Show"), choices=EventKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    person = forms.ChoiceField(label=_("Person"), required=False)
    as_of = DayField(
        label=_("As known on"),
        required=False,
        help_text=_("The timeline as the record stood at the end of that day."),
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = _blank([(str(p.pk), person_label(p)) for p in people], _("Everyone"))

    def clean_as_of(self):
        day = self.cleaned_data.get("as_of")
        if day and day > timezone.localdate():
            raise ValidationError(_("“As known on” cannot be in the future."))
        return day
