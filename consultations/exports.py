"""Tables that leave the office: CSV for spreadsheet programs and XLSX.

CSV is written with ``;`` between the cells and a UTF-8 byte order mark, which is what German
spreadsheet programs (Excel, LibreOffice with German settings) open without an import dialog:
they take ``,`` for the decimal separator. XLSX is written with openpyxl, numbers as numbers.

In both, a text cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab,
carriage return at the start) is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse

CSV_DELIMITER = ";"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value) -> str:
    text = str(value)
    if text[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def _cell(value):
    """A number stays a number; everything else is safe text."""
    if isinstance(value, bool):
        return safe_text(value)
    if isinstance(value, int | float):
        return value
    return safe_text(value)


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def csv_response(filename: str, header: list, rows: list[list]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response, delimiter=CSV_DELIMITER)
    writer.writerow([safe_text(h) for h in header])
    for row in rows:
        writer.writerow([safe_text(cell) for cell in row])
    return _attachment(response, filename)


def xlsx_response(filename: str, sheets: list[tuple[str, list, list[list]]]) -> HttpResponse:
    """``sheets``: (title, header, rows) each; the header row in bold and frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=safe_text(title)[:31])
        sheet.append([safe_text(h) for h in header])
        for cell in sheet[1]:
            cell.font = bold
        for row in rows:
            sheet.append([_cell(value) for value in row])
        sheet.freeze_panes = "A2"
        for column, heading in zip(sheet.columns, header, strict=False):
            width = max([len(str(heading))] + [len(str(c.value or "")) for c in column][:200])
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 50)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), filename)
