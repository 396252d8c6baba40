import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from cases.fuzzydate import format_moment
from cases.models import Person
from cases.reasons import Text, automatic_reason
from imports.enums import JobStatus

# What every history row an import writes says (cases.reasons).
IMPORTED = automatic_reason(gettext_noop("Import of %(file)s (SHA-256 %(sha256)s)"), file=Text(), sha256=Text())


def _upload_path(instance, filename):
    # The uploaded file's name may itself name someone: stored under a random name, encrypted.
    return f"imports/{uuid.uuid4().hex}.enc"


class ImportJob(models.Model):
    """One uploaded file on its way in: its columns, the dry run's report, the import and its progress.

    The file is kept encrypted only until it is imported or given up; its SHA-256 stays, and a file whose
    hash was imported once is refused (``one_import_per_file``). The import's own status is set to done in
    the transaction that writes its records, so "done" and the records commit together or not at all.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by")
    )
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    file_kind = models.CharField(_("kind of file"), max_length=8)
    encoding = models.CharField(_("encoding"), max_length=32, blank=True)
    # The language of whoever started the check or the import: the background worker writes its report in it.
    language = models.CharField(_("language"), max_length=8, blank=True, editable=False)
    stored = models.FileField(_("uploaded file"), upload_to=_upload_path, blank=True, editable=False)
    # What each sheet holds and which of its columns means which of ours: {sheet: {"type": …, "columns": {…}}}.
    mapping = models.JSONField(_("columns"), default=dict)
    sheets = models.JSONField(_("sheets found"), default=list)
    status = models.CharField(_("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.UPLOADED)
    report = models.JSONField(_("report"), default=dict)
    message = models.TextField(_("message"), blank=True)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows in all"), default=0)
    # When a worker took the job: one worker only (imports/services.py claims it with one conditional update).
    # While it runs, its heartbeat is the progress file beside the upload: its transaction keeps the database
    # rows it writes, this one included, unseen until it commits.
    claimed_at = models.DateTimeField(_("taken by a worker at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["sha256"], condition=Q(status="done"), name="one_import_per_file")
        ]

    def __str__(self):
        return _("Import of %(file)s (%(when)s)") % {"file": self.file_name, "when": format_moment(self.created_at)}

    @property
    def status_label(self) -> str:
        """Where the import is; a check that found errors waits for a corrected file, not for a confirmation."""
        if self.status == JobStatus.CHECKED and self.report.get("error_total"):
            return str(_("Checked: errors to correct in the file"))
        return JobStatus(self.status).label

    @property
    def reason(self) -> str:
        """What every history row written by this import says, like the reason of a manual edit."""
        return IMPORTED.written(file=self.file_name, sha256=self.sha256)


class ExternalId(models.Model):
    """The id a record had in the sheet it came from, so that importing a sheet again updates it.

    Looked up only among records the importing user may see: two teams may both have a "P-001", and an id
    of another team's record must not answer differently from an unknown one.
    """

    kind = models.CharField(max_length=16)
    external_id = models.CharField(max_length=100)
    object_id = models.UUIDField()
    job = models.ForeignKey(ImportJob, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["kind", "external_id"], name="external_id_lookup")]
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_external_id_per_record")]

    def __str__(self):
        return f"{self.kind} {self.external_id}"


class ColumnMapping(models.Model):
    """A sheet's column names and what they mean, saved to be offered again for sheets named the same way."""

    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    record_type = models.CharField(_("records"), max_length=20)
    columns = models.JSONField(_("columns"), default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("saved column mapping")
        verbose_name_plural = _("saved column mappings")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="mapping_name_per_user")]

    def __str__(self):
        return self.name


class PersonMerge(models.Model):
    """Two records of one person made one: who merged them, why, and what moved, so it can be undone.

    ``moved`` lists, by id, every record that moved to the survivor and where it came from, the memberships
    the survivor already had (deleted rather than doubled), and the absorbed person's names kept as variants
    of the survivor. The identities themselves are in the history, each under its person's key.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(_("merged at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("merged by")
    )
    reason = models.TextField(_("reason"))
    survivor = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("kept as")
    )
    survivor_codename = models.CharField(_("kept as"), max_length=40)
    absorbed_id = models.UUIDField(_("merged person id"))
    absorbed_codename = models.CharField(_("merged into it"), max_length=40)
    moved = models.JSONField(_("records moved"), default=dict)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("undone by"),
    )
    undo_reason = models.TextField(_("why it was undone"), blank=True)

    class Meta:
        verbose_name = _("merge of two people")
        verbose_name_plural = _("merges of people")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.absorbed_codename} → {self.survivor_codename}"
