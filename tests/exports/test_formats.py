"""Every format carries text as text, survives what staff paste, and fetches nothing."""

import csv
import io
import json
import zipfile

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader
from weasyprint import HTML

from exports.render import refuse_to_fetch
from tests.exports.conftest import plain_text, readable_text
from tests.factories import MembershipFactory, PersonIdentityFactory


@pytest.fixture
def named_person(case):
    """Someone on the case named in both scripts, which staff may export internally."""
    identity = PersonIdentityFactory(legal_name="Ivan CanaryLegalName", name_original_script="Иван Канарейкин")
    return MembershipFactory(case=case, person=identity.person).person


@pytest.mark.parametrize("fmt", ["pdf", "docx", "json", "csv"])
def test_export_with_control_characters_pasted_from_word_succeeds(alice, case, export, report, fmt):
    # A vertical tab or form feed arrives with text copied from Word or a PDF; XML cannot hold them.
    report(case, description="Seen at the station\x0bcanary-after-tab\x0cpage")

    text = readable_text(export(case, alice, "internal", fmt).content, fmt)

    assert "canary-after-tab" in text


@pytest.mark.parametrize("url", ["file:///etc/hostname", "http://127.0.0.1:9/", "https://example.org/x.png"])
def test_pdf_renderer_fetches_nothing(url):
    with pytest.raises(ValueError):
        refuse_to_fetch(url)


def test_pdf_with_a_file_reference_renders_without_reading_the_file(tmp_path):
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text y="20">canary-local-file</text></svg>')

    pdf = HTML(string=f'<p>Page</p><img src="file://{secret}">', url_fetcher=refuse_to_fetch).write_pdf()

    text = readable_text(pdf, "pdf")
    assert "Page" in text and "canary-local-file" not in text


@pytest.mark.parametrize("fmt", ["pdf", "docx", "csv", "json"])
def test_markup_in_records_comes_out_as_text(alice, case, export, report, fmt):
    payload = '<img src=x onerror="alert(1)"><b>bold</b>'
    report(case, description=payload)

    content = export(case, alice, "internal", fmt).content

    if fmt == "json":
        assert payload in json.loads(content)["events"][0]["detail"]
    else:
        assert payload in " ".join(plain_text(content, fmt).split())


@pytest.mark.parametrize(
    ("level", "fields"),
    [
        ("internal", ["reference", "title", "summary", "region", "internal_notes"]),
        ("public", ["reference", "title", "summary", "region"]),
    ],
)
def test_the_json_export_lists_the_case_fields_in_one_order_whatever_the_process(alice, case, export, level, fields):
    # The fields were a set, listed in an order that changed from one server process to the next: the same
    # record exported twice gave different bytes and fingerprints.
    content = export(case, alice, level, "json").content

    assert list(json.loads(content)["case"]) == fields


def test_pdf_renders_cyrillic_as_text(alice, case, named_person, export):
    text = plain_text(export(case, alice, "internal", "pdf").content, "pdf")

    assert "Иван Канарейкин" in text


def test_pdf_metadata_carries_the_case_reference_and_names_no_one(alice, case, named_person, export):
    # Internal: the document itself names the person, its metadata must not.
    reader = PdfReader(io.BytesIO(export(case, alice, "internal", "pdf").content))
    xmp = reader.xmp_metadata
    metadata = str(reader.metadata) + (xmp.rdf_root.toxml() if xmp is not None else "")

    assert "Canary" not in metadata and "Канарейкин" not in metadata
    assert reader.metadata.title.startswith(f"Case summary {case.reference}")


def test_docx_metadata_carries_the_case_reference_and_no_author(alice, case, named_person, export):
    content = export(case, alice, "internal", "docx").content

    core = WordDocument(io.BytesIO(content)).core_properties
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        properties = package.read("docProps/core.xml").decode() + package.read("docProps/app.xml").decode()

    assert (core.author, core.last_modified_by, core.subject, core.keywords) == ("", "", "", "")
    assert core.title.startswith(f"Case summary {case.reference}")
    assert "python-docx" not in properties
    assert "Canary" not in properties and "Канарейкин" not in properties


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x")', "\t=1+1", "\r=1+1", "+cmd", "-2+3", "@SUM(A1)"])
def test_csv_cell_never_starts_a_formula(alice, case, export, report, payload):
    report(case, description=payload)

    rows = csv.reader(io.StringIO(export(case, alice, "internal", "csv").content.decode("utf-8-sig")))
    cells = [cell for row in rows for cell in row if payload.strip() in cell]

    assert cells
    assert [cell for cell in cells if cell.lstrip()[:1] in {"=", "+", "-", "@"}] == []
