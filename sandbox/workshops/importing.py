"""Reading a list of trainees: CSV as spreadsheets save it (commas, semicolons or tabs;
UTF-8 with or without a BOM) or an .xlsx workbook, and hashing the new accounts'
passwords side by side (Argon2 costs about a tenth of a second each)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from django import forms
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _

#: At most this many trainees in one file: a bigger file is refused before anything is read.
MAX_ROWS = 2000
DELIMITERS = (",", ";", "\t")


def delimiter_of(header_line: str) -> str:
    """The separator of a CSV file, from its header line: the one it uses most
    (French-locale spreadsheets save semicolons, some exports tabs)."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def csv_reader(text: str) -> csv.reader:  # type: ignore[valid-type]
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    return csv.reader(io.StringIO(text), delimiter=delimiter_of(first))


def xlsx_text(content: bytes) -> str:
    """The first sheet of a workbook as tab-separated text (one line per row, so that
    problems are reported at the row numbers the trainer sees in the spreadsheet)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise forms.ValidationError(_("The file is not an Excel workbook (.xlsx).")) from exc
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    sheet = book.worksheets[0]
    for n, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if n > MAX_ROWS + 1:
            raise forms.ValidationError(too_many())
        writer.writerow(["" if v is None else str(v) for v in row])
    book.close()
    return out.getvalue()


def too_many() -> str:
    return _("The file has more than %(limit)s trainees: import at most %(limit)s at a time.") % {
        "limit": f"{MAX_ROWS:,}"}


def hash_passwords(passwords: Iterable[str]) -> list[str]:
    """Hashes of the passwords, computed on several threads (the hashing library releases
    the interpreter lock while it works)."""
    items = list(passwords)
    if len(items) < 4:
        return [make_password(p) for p in items]
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(make_password, items))
