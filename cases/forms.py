import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from cases import uploads
from cases.datefields import FuzzyDateField, FuzzyDatesForm
from cases.models import CaseMembership, StatusChange
from cases.services import check_sources_of_case, conflict_message


class VersionedForm(FuzzyDatesForm):
    """Carries the version of the record the form was built from, so a later save by someone else is caught."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding and hasattr(self.instance, "version"):
            self.initial["seen_version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if seen is not None and not self.instance._state.adding and hasattr(self.instance, "version"):
            model = type(self.instance)
            current = model._base_manager.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if current is not None and current != seen:
                raise ValidationError(conflict_message(self.instance), code="conflict")
        self.instance._seen_version = seen
        # Checked when the citation is made or its case changes: a record cited another case's source before this
        # rule must not stop every later save of its case's page.
        citing = self.instance._state.adding or {"sources", "case", "appeal"} & set(self.changed_data)
        if citing and cleaned.get("sources"):
            try:
                check_sources_of_case(_case_id(self.instance, cleaned), cleaned["sources"])
            except ValidationError as error:
                self.add_error("sources", error.message_dict["sources"])
        return cleaned


def _case_id(record, cleaned):
    """The case a record citing sources belongs to, as posted: its case, or its appeal's. Inline on a case or an
    appeal being added, that unsaved parent (its key is made before it is saved)."""
    if cleaned.get("case"):
        return cleaned["case"].pk
    if cleaned.get("appeal"):
        return cleaned["appeal"].case_id
    if getattr(record, "case_id", None):
        return record.case_id
    if getattr(record, "appeal_id", None):
        return record.appeal.case_id
    return None


class ReasonForm(VersionedForm):
    """Every change in the admin states why; the reason is kept with the history rows it creates.

    A form that creates a record also carries a one-time key (cases.submissions): sent twice, it creates one.
    """

    change_reason = forms.CharField(
        label=_("Reason for this change"),
        max_length=300,
        help_text=_("Kept in the history with your name, e.g. “New report from the lawyer”."),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            # A new key each time the empty form is shown; the same one when it comes back with errors.
            self.initial.setdefault("submission_key", uuid.uuid4())


class FuzzyDateForm(VersionedForm):
    """A reported event: one box for its date and precision, instead of three fields to puzzle over."""

    when = FuzzyDateField(label=_("When"))

    class Meta:
        fields = "__all__"


class StatusChangeForm(FuzzyDateForm):
    class Meta(FuzzyDateForm.Meta):
        model = StatusChange

    def clean(self):
        cleaned = super().clean()
        # Inline on a case, the formset checks against the people posted with it.
        if "case" in self.fields and cleaned.get("person") and cleaned.get("case"):
            self.instance.person, self.instance.case = cleaned["person"], cleaned["case"]
            try:
                self.instance.check_person_in_case()
            except ValidationError as error:
                self.add_error("person", error.message_dict["person"])
        return cleaned


class StatusChangeInlineFormSet(forms.BaseInlineFormSet):
    """Status changes may name people added to the case in the same submission."""

    membership_prefix = "memberships"

    def _people_in_case(self) -> set[str]:
        people = set()
        if self.instance.pk:
            people = {
                str(p) for p in CaseMembership.objects.filter(case=self.instance).values_list("person_id", flat=True)
            }
        prefix = self.membership_prefix
        try:
            total = min(int(self.data.get(f"{prefix}-TOTAL_FORMS", 0) or 0), 1000)
        except ValueError:
            total = 0
        for index in range(total):
            person = self.data.get(f"{prefix}-{index}-person")
            if person and not self.data.get(f"{prefix}-{index}-DELETE"):
                people.add(person)
        return people

    def clean(self):
        super().clean()
        people = self._people_in_case()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form) or not hasattr(form, "cleaned_data"):
                continue
            person = form.cleaned_data.get("person")
            if person and str(person.pk) not in people:
                form.add_error("person", _("This person is not part of this case; add them to the case first."))


class SourceFileForm(VersionedForm):
    """Refuses a file by its content and size, and an image or document that cannot be read, before anything is
    saved."""

    published = FuzzyDateField(label=_("Date"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.file and "file" in self.fields:
            # An attached file is evidence and is never replaced or removed; the save refuses it too, but here
            # the form shows it and ignores a replacement instead of failing the whole page.
            self.fields["file"].disabled = True
            # Not the usual link to the stored file: it is offered only through the checked downloads beside it.
            self.fields["file"].widget = forms.FileInput()

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            # Preparing here rather than only in the save turns a damaged image or document into a form error;
            # the save stores what was prepared as it is.
            return uploads.prepare(upload)
        return upload


class ErasureForm(forms.Form):
    codename = forms.CharField(label=_("Type the person's codename to confirm"), max_length=40)
    reason = forms.CharField(label=_("Why the identity is erased"), widget=forms.Textarea, max_length=2000)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_codename(self):
        typed = self.cleaned_data["codename"].strip()
        if typed != self.person.codename:
            raise forms.ValidationError(_("That is not this person's codename; nothing was erased."))
        return typed
