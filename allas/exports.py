"""CSV downloads that Excel opens as they are: the one writer every export of the portal
goes through, so that no cell a resident typed can run as a formula."""

import csv

from django.http import HttpResponse

# A cell starting with one of these is run as a formula by spreadsheet programs (OWASP's
# "CSV injection"); tab and carriage return are stripped by some before they look.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """Text that would run as a formula gets a leading apostrophe, which spreadsheets show
    as text. Numbers are written as they are: they are never formulas."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_download(filename: str, header, rows, *, delimiter: str = ";"):
    """A CSV attachment in UTF-8 with a byte order mark, so that Excel opens å, ä and ö
    correctly. Semicolons by default, as Excel expects with Swedish settings; open data
    keeps commas."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=delimiter)
    writer.writerow([spreadsheet_cell(v) for v in header])
    for row in rows:
        writer.writerow([spreadsheet_cell(v) for v in row])
    return response
