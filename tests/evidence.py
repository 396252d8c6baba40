"""Documents that name a person in their metadata, as real evidence often does, and not in their text."""

import io
import zipfile

import docx
import weasyprint
from pypdf import PdfWriter
from pypdf.generic import NameObject

TEXT = "Testimony of the witness"


def pdf_naming(name: str) -> bytes:
    """A PDF whose document info (title, author, subject, keywords, creator, producer) and XMP name ``name``."""
    rendered = weasyprint.HTML(string=f"<title>Statement of {name}</title><p>{TEXT}</p>").write_pdf()
    writer = PdfWriter(clone_from=io.BytesIO(rendered))
    writer.add_metadata(
        {"/Author": name, "/Subject": name, "/Keywords": name, "/Creator": name, "/Producer": f"Scanner of {name}"}
    )
    writer.xmp_metadata = _xmp(name)
    # XMP may hang on any object, not only on the document: here the page points at it too.
    writer.pages[0][NameObject("/Metadata")] = writer.root_object.raw_get("/Metadata")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _xmp(name: str) -> bytes:
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:creator><rdf:Seq><rdf:li>{name}</rdf:li></rdf:Seq></dc:creator>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def docx_naming(name: str) -> bytes:
    """A Word document whose core, app (company) and custom properties name ``name``."""
    document = docx.Document()
    document.add_paragraph(TEXT)
    properties = document.core_properties
    properties.author = properties.last_modified_by = name
    properties.title = f"Statement of {name}"
    properties.subject = properties.keywords = properties.comments = properties.category = name
    buffer = io.BytesIO()
    document.save(buffer)
    return _with_app_and_custom_properties(buffer.getvalue(), name)


def _with_app_and_custom_properties(content: bytes, name: str) -> bytes:
    custom = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Witness">'
        f"<vt:lpwstr>{name}</vt:lpwstr></property></Properties>"
    )
    edits = {
        "docProps/app.xml": lambda xml: xml.replace("</Properties>", f"<Company>{name}</Company></Properties>"),
        "[Content_Types].xml": lambda xml: xml.replace(
            "</Types>",
            '<Override PartName="/docProps/custom.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>',
        ),
        "_rels/.rels": lambda xml: xml.replace(
            "</Relationships>",
            '<Relationship Id="rIdCustom" Target="docProps/custom.xml" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/custom-properties"/></Relationships>',
        ),
    }
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.namelist():
            text = source.read(member)
            if member in edits:
                text = edits[member](text.decode()).encode()
            target.writestr(member, text)
        target.writestr("docProps/custom.xml", custom)
    return buffer.getvalue()


def unpacked_text(content: bytes) -> str:
    """Every part of a Word document (a ZIP of XML parts), as one text to search."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    return "\n".join(archive.read(member).decode(errors="replace") for member in archive.namelist())
