"""The admin's import: upload, read the columns, check every row, read the preview, confirm."""

from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Person
from imports.enums import JobStatus
from imports.models import ColumnMapping, ImportJob
from tests.imports.workbook import PEOPLE_COUNT, build_workbook, csv_bytes

ADD = "/admin/imports/importjob/add/"


def upload(client, content, name="records.xlsx", **fields):
    return client.post(ADD, {"file": SimpleUploadedFile(name, content), **fields})


def mapping_of(job, **changes):
    """The mapping form as the page offers it, with ``changes`` made."""
    data = {"action": "check"}
    for index, sheet in enumerate(job.sheets):
        part = job.mapping[sheet["name"]]
        data[f"type_{index}"] = part["type"]
        for position, header in enumerate(sheet["headers"]):
            data[f"column_{index}_{position}"] = part["columns"].get(header, "")
    return {**data, **changes}


def test_upload_preview_and_confirm(alice_client, alice, django_capture_on_commit_callbacks):
    response = upload(alice_client, build_workbook(with_errors=False))
    job = ImportJob.objects.get()
    assert response.url == f"/admin/imports/importjob/{job.pk}/preview/"
    page = alice_client.get(response.url).content.decode()
    assert "Sheet “Status changes” (200 rows)" in page

    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(response.url, mapping_of(job))
    page = alice_client.get(response.url).content.decode()
    assert "Checked: waiting for your confirmation" in page
    assert f"<tr><th>People</th><td>{PEOPLE_COUNT + 1} to create</td></tr>" in page
    assert "People, row 52 (P-051): possible duplicate of row 2 (P-001)" in page
    assert Person.objects.count() == 0

    alice_client.post(response.url, {"action": "import"})
    assert Person.objects.count() == 0  # not without ticking the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(response.url, {"action": "import", "confirm": "on"})
    page = alice_client.get(response.url).content.decode()

    assert "<strong>Imported</strong>" in page
    # What was done, no longer what will be.
    assert f"<tr><th>People</th><td>{PEOPLE_COUNT + 1} created</td></tr>" in page
    assert "will create" not in page and "<td>created</td>" in page
    assert Person.objects.count() == PEOPLE_COUNT + 1


def test_a_sheet_with_errors_cannot_be_confirmed(alice_client, django_capture_on_commit_callbacks):
    url = upload(alice_client, build_workbook(with_errors=True)).url
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(url, mapping_of(ImportJob.objects.get()))
    page = alice_client.get(url).content.decode()

    assert "People, row 8, column birth_year: “19x0” is not a year of birth." in page
    assert "<strong>Checked: errors to correct in the file</strong>" in page
    assert "waiting for your confirmation" not in page
    assert "Checked: errors to correct in the file" in alice_client.get("/admin/imports/importjob/").content.decode()
    assert 'value="import"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(url, {"action": "import", "confirm": "on"})
    assert ImportJob.objects.get().status == JobStatus.CHECKED
    assert Person.objects.count() == 0


def test_a_check_asked_for_in_russian_reports_in_russian(alice_client, django_capture_on_commit_callbacks):
    # The check runs in the background worker, which has no reader: it writes in the language it was asked in.
    russian = {"headers": {"accept-language": "ru"}}
    content = csv_bytes([["case_id", "person_id", "role"], ["K-404", "P-404", "victim"]])
    url = alice_client.post(ADD, {"file": SimpleUploadedFile("people.csv", content), "record_type": "case_people"}).url
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(url, mapping_of(ImportJob.objects.get()), **russian)

    page = alice_client.get(url, **russian).content.decode()

    assert "people.csv, строка 2, столбец case_id: нет записи с идентификатором «K-404»" in page
    assert "no record with the id" not in page
    assert "<td>1 ошибка</td>" in page


def test_columns_named_otherwise_are_mapped_and_the_mapping_saved(
    alice_client, alice, django_capture_on_commit_callbacks
):
    content = csv_bytes([["ID", "Фамилия Имя", "Год рождения"], ["X-1", "Исмаил Исаев", "1986"]])
    url = upload(alice_client, content, name="list.csv", record_type="people").url
    job = ImportJob.objects.get()
    assert job.mapping["list.csv"]["columns"] == {}

    changes = {"column_0_0": "person_id", "column_0_1": "name_original_script", "column_0_2": "birth_year"}
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(url, mapping_of(job, save_as="Monitoring list", **changes))

    assert "<td>1 to create</td>" in alice_client.get(url).content.decode()
    saved = ColumnMapping.objects.get(user=alice)
    assert (saved.name, saved.columns["Фамилия Имя"]) == ("Monitoring list", "name_original_script")
    # The next file with these headers is offered the saved columns.
    upload(alice_client, content.replace(b"X-1", b"X-2"), name="list2.csv", record_type="people")
    assert ImportJob.objects.get(file_name="list2.csv").mapping["list2.csv"]["columns"]["ID"] == "person_id"


def test_a_required_column_left_unmapped_is_named(alice_client):
    url = upload(
        alice_client, csv_bytes([["ID", "Name"], ["X-1", "Ismail Isaev"]]), name="l.csv", record_type="people"
    ).url

    page = alice_client.post(url, mapping_of(ImportJob.objects.get())).content.decode()

    assert "Sheet “l.csv”: choose the column that holds person_id." in page
    assert ImportJob.objects.get().status == JobStatus.UPLOADED


def test_a_refused_file_is_explained_on_the_upload_page(alice_client):
    page = upload(alice_client, b"person_id,,legal_name\nP-1,x,Ismail Isaev\n", name="people.csv").content.decode()

    assert "The sheet “people.csv” has a column without a name (column B): name it or delete it." in page
    assert not ImportJob.objects.exists()


def test_imports_are_for_staff_allowed_identities_and_each_sees_their_own(client, alice, bob, advocate):
    client.force_login(alice)
    upload(client, build_workbook())
    client.force_login(bob)
    assert client.get("/admin/imports/importjob/").content.decode().count("records.xlsx") == 0
    assert client.get(f"/admin/imports/importjob/{ImportJob.objects.get().pk}/preview/").status_code == 404
    client.force_login(advocate)
    assert client.get(ADD).status_code in {302, 403}


def test_a_sheet_of_one_row_is_said_so(alice_client):
    content = csv_bytes([["person_id", "legal_name"], ["X-1", "Ismail Isaev"]])

    page = alice_client.get(upload(alice_client, content, name="one.csv", record_type="people").url).content.decode()

    assert "Sheet “one.csv” (1 row)" in page
