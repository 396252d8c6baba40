"""Importing files as staff do: upload, check every row, confirm; the worker runs in the test."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports.models import ImportJob
from imports.services import start, upload_file


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def check(django_capture_on_commit_callbacks):
    """Upload a file and check every row, as the preview does: answers the job with its report."""

    def run(user, content: bytes, name: str = "records.xlsx", **options) -> ImportJob:
        job = upload_file(user=user, upload=SimpleUploadedFile(name, content), file_name=name, **options)
        with django_capture_on_commit_callbacks(execute=True):
            start(job, write=False)
        job.refresh_from_db()
        return job

    return run


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    """Confirm a checked job: the import itself."""

    def run(job) -> ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            start(job, write=True)
        job.refresh_from_db()
        return job

    return run
