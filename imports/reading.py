"""Reading a spreadsheet as it is, refusing what cannot be read honestly, one row at a time.

XLSX through openpyxl in read-only mode (rows are streamed, formulas are read as formulas and never
evaluated), CSV through the standard library in the encoding detected or chosen. What makes a whole file
unreadable is refused here with a message (``Refused``); what is wrong in one cell is left to the import,
which names the row and the column (a formula, an error value, an Excel day number where a date belongs).
"""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

import charset_normalizer
import openpyxl
from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Encodings offered when a CSV file is not UTF-8 and its encoding cannot be told: those of Russian Excel,
# old Russian mail and DOS programs, and Western Windows.
ENCODINGS = [
    ("utf-8", gettext_lazy("UTF-8 (Unicode)")),
    ("cp1251", gettext_lazy("Windows-1251 (Cyrillic, Russian Excel)")),
    ("koi8_r", gettext_lazy("KOI8-R (Cyrillic)")),
    ("cp866", gettext_lazy("DOS 866 (Cyrillic)")),
    ("cp1252", gettext_lazy("Windows-1252 (Western)")),
]
# Spreadsheet programs take a cell starting with one of these for a formula; our exports write such text
# with a leading apostrophe (imports/roundtrip.py), which is taken off again here.
FORMULA_STARTS = ("=", "+", "-", "@")
# What separates the values of a CSV file: Excel writes its region's list separator, a semicolon in Russian and
# most of Europe, a comma in English; some programs a tab.
SEPARATORS = (",", ";", "\t")
SNIFFED_BYTES = 64 * 1024


class Refused(Exception):
    """The file as a whole cannot be imported; the message says why and what to do."""


@dataclass(frozen=True)
class Formula:
    text: str


@dataclass(frozen=True)
class ErrorValue:
    text: str


@dataclass(frozen=True)
class DateCell:
    """A cell Excel stores as a date: the day, and how much of it the cell's format shows."""

    day: date
    precision: str  # "day", "month" or "year"


Cell = str | int | float | Formula | ErrorValue | DateCell


@dataclass
class SheetInfo:
    name: str
    headers: list[str]
    rows: int


def _limit_rows() -> int:
    return settings.IMPORT_MAX_ROWS


def _refuse_headers(sheet: str, headers: list[str], used_columns: int) -> list[str]:
    """The header row, stripped; refused when a column with data has no name or two columns share one."""
    headers = [h.strip() for h in headers]
    while headers and not headers[-1] and len(headers) > used_columns:
        headers.pop()
    if not any(headers):
        raise Refused(
            _("The sheet “%(sheet)s” has no header row: its first row must name the columns.") % {"sheet": sheet}
        )
    for index, header in enumerate(headers):
        if not header:
            raise Refused(
                _("The sheet “%(sheet)s” has a column without a name (column %(column)s): name it or delete it.")
                % {"sheet": sheet, "column": column_letter(index)}
            )
    seen = {}
    for index, header in enumerate(headers):
        key = header.casefold()
        if key in seen:
            raise Refused(
                _("The sheet “%(sheet)s” names two columns “%(name)s” (columns %(first)s and %(second)s): rename one.")
                % {"sheet": sheet, "name": header, "first": column_letter(seen[key]), "second": column_letter(index)}
            )
        seen[key] = index
    return headers


def column_letter(index: int) -> str:
    return openpyxl.utils.get_column_letter(index + 1)


def _too_many_rows(sheet: str) -> Refused:
    return Refused(
        _(
            "The sheet “%(sheet)s” has more than %(limit)s rows. Split it into files of at most %(limit)s rows each "
            "and import them one after the other."
        )
        % {"sheet": sheet, "limit": f"{_limit_rows():,}"}
    )


def _blank(cells) -> bool:
    return all(cell is None or cell == "" for cell in cells)


class Book:
    """A file opened for reading, as many times as needed: ``open_bytes()`` gives a fresh binary stream."""

    kind = ""

    def __init__(self, open_bytes: Callable[[], io.BufferedIOBase]):
        self.open_bytes = open_bytes

    def inspect(self) -> list[SheetInfo]:
        """Every sheet with its headers and its number of rows; refuses what cannot be read."""
        raise NotImplementedError

    def rows(self, sheet: str) -> Iterator[tuple[int, list[Cell]]]:
        """The data rows of a sheet, each with its row number in the file, blank rows left out."""
        raise NotImplementedError

    @contextmanager
    def reading(self):
        """A pass over the sheets, one after another: the book may keep open what it opened until the pass ends."""
        yield


# --- CSV ----------------------------------------------------------------------------------------


def detect_encoding(open_bytes) -> str:
    """UTF-8 if the whole file reads as UTF-8; else a Cyrillic or Western encoding the content shows."""
    with open_bytes() as stream:
        decoder = codecs.getincrementaldecoder("utf-8")()
        sample = b""
        try:
            while chunk := stream.read(1024 * 1024):
                if len(sample) < 256 * 1024:
                    sample += chunk[: 256 * 1024 - len(sample)]
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(sample, cp_isolation=[code for code, _label in ENCODINGS[1:]]).best()
    if best is None:
        raise Refused(
            _(
                "This file is not UTF-8, and its encoding cannot be told. Choose its encoding (Windows-1251 is usual "
                "for files saved by Excel in Russian), or save it from your spreadsheet as “CSV UTF-8”."
            )
        )
    return best.encoding


class CsvBook(Book):
    kind = "csv"

    def __init__(self, open_bytes, *, name: str, encoding: str):
        super().__init__(open_bytes)
        self.name = name
        self.encoding = encoding
        self._separator = None

    @property
    def separator(self) -> str:
        """The one of ``SEPARATORS`` the file's first lines use, told by the standard library's sniffer: it reads
        quotes, and finds the separator that splits every line into as many values (a header such as "Note
        (place, date)" holds commas however the file is separated). A comma when it cannot tell."""
        if self._separator is None:
            with self.open_bytes() as raw:
                head = raw.read(SNIFFED_BYTES)
            lines = head.decode(self.encoding, errors="ignore").splitlines()
            if len(head) == SNIFFED_BYTES and len(lines) > 1:
                lines.pop()  # cut short by the read
            lines = [line for line in lines if line.strip()][:20]
            try:
                self._separator = csv.Sniffer().sniff("\n".join(lines), delimiters="".join(SEPARATORS)).delimiter
            except csv.Error:
                self._separator = ","
        return self._separator

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        encoding = "utf-8-sig" if self.encoding == "utf-8" else self.encoding
        with self.open_bytes() as raw:
            text = io.TextIOWrapper(raw, encoding=encoding, newline="", errors="strict")
            reader = csv.reader(text, delimiter=self.separator)
            line = 0
            try:
                for line, record in enumerate(reader, start=1):
                    yield line, record
            except UnicodeDecodeError as error:
                # Text is decoded ahead of the rows read, so no line number would be right.
                raise Refused(
                    _(
                        "This file cannot be read as %(encoding)s: choose its encoding. Windows-1251 is usual for "
                        "files saved by Excel in Russian."
                    )
                    % {"encoding": self.encoding}
                ) from error
            except csv.Error as error:
                raise Refused(
                    _("Line %(line)d is not valid CSV: %(error)s") % {"line": line + 1, "error": error}
                ) from error

    def inspect(self) -> list[SheetInfo]:
        records = self._records()
        first = next(records, None)
        if first is None:
            raise Refused(_("The file is empty."))
        width = max((len(first[1]), 0))
        count = 0
        for _line, record in records:
            if _blank(record):
                continue
            count += 1
            width = max(width, len(record))
            if count > _limit_rows():
                raise _too_many_rows(self.name)
        headers = _refuse_headers(self.name, first[1] + [""] * (width - len(first[1])), _used(first[1]))
        if width > len(headers):
            raise Refused(
                _("The sheet “%(sheet)s” has values in column %(column)s, which has no name: name it or delete it.")
                % {"sheet": self.name, "column": column_letter(len(headers))}
            )
        return [SheetInfo(self.name, headers, count)]

    def rows(self, sheet):
        records = self._records()
        next(records, None)
        for line, record in records:
            if not _blank(record):
                yield line, [_csv_cell(value) for value in record]


def _used(cells) -> int:
    used = 0
    for index, cell in enumerate(cells):
        if cell not in (None, ""):
            used = index + 1
    return used


def _csv_cell(value: str) -> Cell:
    value = value.strip()
    if value.startswith("'") and value[1:2] in FORMULA_STARTS:
        return value[1:]
    if value.startswith("="):
        return Formula(value)
    return value


# --- XLSX ---------------------------------------------------------------------------------------


def _precision_of(number_format: str) -> str:
    """How much of a date an Excel number format shows: "mmm-yy" is a month, "dd.mm.yyyy" a day."""
    shown = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", (number_format or "").lower())
    if "d" in shown:
        return "day"
    if "m" in shown:
        return "month"
    return "year" if "y" in shown else "day"


def _xlsx_cell(cell) -> Cell:
    value = cell.value
    if value is None:
        return ""
    data_type = getattr(cell, "data_type", "s")
    if data_type == "f":
        return Formula(str(value))
    if data_type == "e":
        return ErrorValue(str(value))
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        return DateCell(day, _precision_of(getattr(cell, "number_format", "")))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value.strip()
    return value


class XlsxBook(Book):
    kind = "xlsx"
    _opened = None

    def _content(self) -> io.BytesIO:
        # A ZIP is read from its end: the (compressed) workbook is held in memory, its rows are not.
        with self.open_bytes() as stream:
            return io.BytesIO(stream.read())

    def _check_archive(self) -> None:
        """A workbook is a ZIP of XML: refuse one that unpacks to far more than a sheet of this size could."""
        try:
            archive = zipfile.ZipFile(self._content())
        except zipfile.BadZipFile as error:
            raise Refused(_("This file is not a readable XLSX workbook.")) from error
        unpacked = 0
        for member in archive.infolist():
            unpacked += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            if unpacked > settings.IMPORT_MAX_UNPACKED_BYTES or (
                ratio > settings.IMPORT_MAX_COMPRESSION_RATIO and member.file_size > 1024 * 1024
            ):
                raise Refused(
                    _(
                        "This workbook unpacks to far more data than a spreadsheet holds (%(part)s): it is refused "
                        "unopened. Save it again from your spreadsheet program, or as CSV."
                    )
                    % {"part": member.filename}
                )
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            if "mimetype" in names and b"opendocument" in archive.read("mimetype"):
                raise Refused(_("This is an OpenDocument spreadsheet: save it as XLSX or CSV, then import that."))
            raise Refused(_("This file is not a readable XLSX workbook."))

    def _workbook(self):
        stream = self._content()
        try:
            # Formulas stay formulas (data_only=False): their cached results may be stale, so none is used.
            return openpyxl.load_workbook(stream, read_only=True, data_only=False, keep_links=False), stream
        except Exception as error:  # openpyxl raises many kinds on damaged files
            stream.close()
            raise Refused(_("This file is not a readable XLSX workbook.")) from error

    def _merged_cells(self, stream, sheet) -> str | None:
        """The first merged range of a sheet (read-only mode does not read them; the sheet's XML does)."""
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive, archive.open(sheet._worksheet_path) as xml:
            for _event, element in iterparse(xml, events=("end",)):
                if element.tag.endswith("}mergeCell"):
                    return element.get("ref")
                element.clear()
        return None

    def inspect(self) -> list[SheetInfo]:
        self._check_archive()
        workbook, stream = self._workbook()
        try:
            found = []
            for name in workbook.sheetnames:
                sheet = workbook[name]
                merged = self._merged_cells(stream, sheet)
                if merged:
                    raise Refused(
                        _(
                            "The sheet “%(sheet)s” has merged cells (%(range)s): unmerge them so that every row holds "
                            "its own values."
                        )
                        % {"sheet": name, "range": merged}
                    )
                info = self._inspect_sheet(name, sheet)
                if info is not None:
                    found.append(info)
        finally:
            workbook.close()
            stream.close()
        if not found:
            raise Refused(_("The workbook has no sheet with rows in it."))
        return found

    def _inspect_sheet(self, name, sheet) -> SheetInfo | None:
        rows = sheet.iter_rows()
        header_cells = None
        count, width = 0, 0
        for row in rows:
            values = [_xlsx_cell(cell) for cell in row]
            if header_cells is None:
                if _blank(values):
                    continue
                header_cells = values
                continue
            if _blank(values):
                continue
            count += 1
            width = max(width, _used(values))
            if count > _limit_rows():
                raise _too_many_rows(name)
        if header_cells is None:
            return None
        if any(not isinstance(cell, str) for cell in header_cells if cell != ""):
            raise Refused(
                _(
                    "The first row of the sheet “%(sheet)s” must name the columns in plain text (no numbers, dates or "
                    "formulas)."
                )
                % {"sheet": name}
            )
        headers = _refuse_headers(name, [str(c) for c in header_cells], _used(header_cells))
        if width > len(headers):
            raise Refused(
                _("The sheet “%(sheet)s” has values in column %(column)s, which has no name: name it or delete it.")
                % {"sheet": name, "column": column_letter(len(headers))}
            )
        return SheetInfo(name, headers, count)

    @contextmanager
    def reading(self):
        # Opening a workbook sizes every sheet, and openpyxl reads a sheet whose file does not state its size
        # (openpyxl's own write-only mode leaves it out) to its end for it: once per pass, not once per sheet.
        workbook, stream = self._workbook()
        self._opened = workbook
        try:
            yield
        finally:
            self._opened = None
            workbook.close()
            stream.close()

    def rows(self, sheet_name):
        workbook, stream = (self._opened, None) if self._opened is not None else self._workbook()
        try:
            header_seen = False
            for number, row in enumerate(workbook[sheet_name].iter_rows(), start=1):
                values = [_xlsx_cell(cell) for cell in row]
                if _blank(values):
                    continue
                if not header_seen:
                    header_seen = True
                    continue
                yield number, values
        finally:
            if stream is not None:
                workbook.close()
                stream.close()


# --- Opening ------------------------------------------------------------------------------------


def open_book(open_bytes, *, name: str, encoding: str = "") -> Book:
    """A reader for the file by its content, not its name; refuses kinds we do not read."""
    with open_bytes() as stream:
        head = stream.read(8)
    if head.startswith(b"PK\x03\x04"):
        return XlsxBook(open_bytes)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise Refused(_("This is an old Excel workbook (.xls): save it as XLSX or CSV, then import that."))
    if b"\x00" in head:
        raise Refused(_("This file is neither an XLSX workbook nor a CSV text file."))
    return CsvBook(open_bytes, name=name, encoding=encoding or detect_encoding(open_bytes))
