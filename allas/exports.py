"""CSV downloads that Excel opens as they are, for every app's exports."""

import csv

from django.http import HttpResponse

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value) -> str:
    """Keeps a spreadsheet from running a cell as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_download(filename: str, header, rows, *, delimiter: str = ";", formula_safe=True):
    """A CSV attachment in UTF-8 with a byte order mark, so that Excel opens å, ä and ö
    correctly. Semicolons by default, as Excel expects with Swedish settings; open data
    keeps commas and its values exactly as they are (formula_safe=False)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [spreadsheet_cell(v) if formula_safe else ("" if v is None else v) for v in row]
        )
    return response
