"""A document in its recipient's language, whatever the interface's: a Russian-speaking lawyer sends an English
PDF to a UN body and a Russian one to a Russian court. What staff wrote stays as written."""

import re
import shutil
import subprocess

import pytest
from django.core.management import call_command

from exports.models import ExportJob, ExportRecord
from exports.services import start_bulk_export

PDFTOTEXT = shutil.which("pdftotext")


def pdf_words(content: bytes, tmp_path) -> str:
    """The PDF as a recipient's reader gives it (poppler's pdftotext), as words."""
    path = tmp_path / "export.pdf"
    path.write_bytes(content)
    text = subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    return " ".join(text.split())


@pytest.fixture
def detained(case, public_person, report):
    return report(case, person=public_person, when="8 Feb 2021", description="Задержан у дома")


def export_from_russian_interface(client, case, language):
    return client.post(
        f"/exports/case/{case.pk}/",
        {"level": "public", "format": "pdf", "purpose": "UN WGEID", "language": language},
        HTTP_ACCEPT_LANGUAGE="ru",
    )


HEADINGS = {
    "en": ["People", "Timeline", "Appeals", "Sources"],
    "ru": ["Лица", "Хронология", "Обращения", "Источники"],
}
DAYS = {"en": "8 Feb 2021", "ru": "8 февраля 2021"}


@pytest.mark.parametrize("language, other", [("en", "ru"), ("ru", "en")])
def test_a_pdf_is_written_in_the_language_chosen_for_its_recipient(
    alice_client, case, detained, tmp_path, language, other
):
    response = export_from_russian_interface(alice_client, case, language)

    text = pdf_words(response.content, tmp_path)
    assert [heading in text for heading in HEADINGS[language]] == [True] * 4
    assert [heading in text for heading in HEADINGS[other]] == [False] * 4
    assert DAYS[language] in text and DAYS[other] not in text
    assert "Задержан у дома" in text
    assert ExportRecord.objects.get().language == language


def test_the_export_log_shows_the_language_of_each_document(client, alice_client, administrator, case, detained):
    for language in ("en", "ru"):
        export_from_russian_interface(alice_client, case, language)
    client.force_login(administrator)

    page = client.get("/admin/exports/exportrecord/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    cells = re.findall(r'<td class="field-language">(.*?)</td>', page)
    assert sorted(cells) == ["Английский", "Русский"]


def test_the_form_offers_the_interface_language_first(alice_client, case):
    page = alice_client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert '<option value="ru" selected>' in page


def test_an_unknown_language_is_refused_and_nothing_exported(alice_client, case, detained):
    response = export_from_russian_interface(alice_client, case, "xx")

    assert response.status_code == 400
    assert not ExportRecord.objects.exists()


def test_the_command_writes_the_language_asked_for(alice, case, detained, tmp_path):
    output = tmp_path / "summary.pdf"

    call_command(
        "export_case",
        case.reference,
        *("--level", "public", "--purpose", "Court", "--user", "alice", "--output", str(output)),
        *("--language", "ru"),
    )

    assert "8 февраля 2021" in pdf_words(output.read_bytes(), tmp_path)
    assert ExportRecord.objects.get().language == "ru"


def test_a_bulk_export_keeps_its_language(alice, case, detained, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        job = start_bulk_export(
            case_ids=[case.pk], user=alice, level="public", fmt="json", purpose="Archive", language="ru"
        )

    job = ExportJob.objects.get(pk=job.pk)
    assert (job.language, job.record.language) == ("ru", "ru")
