"""Writing a table of cases as a CSV or an Excel file."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from sandbox.workshops.exports import safe_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return safe_cell(value)
    return value


def to_csv(lines: list[list[Any]]) -> bytes:
    """UTF-8 with a byte order mark, so that spreadsheet programs read every script."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in lines:
        writer.writerow([_plain(value) for value in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(lines: list[list[Any]], *, title: str, right_to_left: bool = False) -> bytes:
    """One sheet, a bold header row frozen at the top, dates as date cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.sheet_view.rightToLeft = right_to_left
    for line in lines:
        sheet.append([value if isinstance(value, dt.date | int | float) else _plain(value)
                      for value in line])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
