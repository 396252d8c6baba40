"""A CSV file's separator is the one it uses: commas, semicolons (Excel in Russian) or tabs, whatever its header
holds."""

import io

import pytest

from imports.reading import CsvBook
from tests.imports.workbook import csv_bytes


@pytest.mark.parametrize(
    "rows, separator",
    [
        ([["person_id", "legal_name"], ["P-1", "Ismail Isaev"]], ","),
        ([["person_id", "legal_name"], ["P-1", "Ismail Isaev"]], ";"),
        ([["person_id", "legal_name"], ["P-1", "Ismail Isaev"]], "\t"),
        # Excel in Russian quotes only what holds a semicolon: a header with commas in it stays as it is.
        ([["person_id", "legal_name", "Примечание (место, дата, источник)"], ["P-1", "Isaev", "x"]], ";"),
        # As many commas as semicolons in the header.
        ([["Фамилия, имя", "birth_year"], ["Isaev Ismail", "1980"]], ";"),
        # A comma file whose quoted header holds semicolons.
        ([["person_id", "other names; aliases; spellings"], ["P-1", "x"]], ","),
        # One column: nothing to tell, read as it is.
        ([["person_id"], ["P-1"]], ","),
    ],
)
def test_the_separator_is_the_one_the_file_uses(rows, separator):
    content = csv_bytes(rows, encoding="cp1251", delimiter=separator)
    book = CsvBook(lambda: io.BytesIO(content), name="people.csv", encoding="cp1251")

    [sheet] = book.inspect()

    assert sheet.headers == rows[0]
    assert [values for _number, values in book.rows("people.csv")] == rows[1:]
