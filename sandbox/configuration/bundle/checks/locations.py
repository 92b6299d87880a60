"""locations.csv: read the rows, then check codes, parents, levels, names and cycles."""

from __future__ import annotations

import csv
import io

from sandbox.common.sourcefiles import Problem

from ..parsed import LocationRow, ParsedBundle
from .structure import display


def read_locations(parsed: ParsedBundle) -> None:
    path_shown = display(parsed.directory, "locations.csv")
    parsed.locations_path = path_shown
    path = parsed.directory / "locations.csv"

    def problem(line: int, message: str, code: str = "locations") -> None:
        parsed.problems.append(Problem(path_shown, line, message, code=code))

    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problem(1, "file not found", "file-not-found")
        return
    except UnicodeDecodeError as exc:
        problem(1, f"not UTF-8 text ({exc.reason})", "not-utf8")
        return
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        problem(1, "empty file (expected a header row)")
        return
    except csv.Error as exc:
        problem(1, f"CSV syntax error: {exc}", "csv-syntax")
        return
    header = [h.strip() for h in header]
    languages = parsed.languages
    expected = ["code", "parent", "admin_level", *(f"name_{lang}" for lang in languages)]
    for column in expected:
        if column not in header:
            problem(1, f"missing column '{column}'")
    for column in header:
        if column not in expected and not column.startswith("name_"):
            problem(1, f"unknown column '{column}'")
        elif column.startswith("name_") and column not in expected and languages:
            problem(1, f"column '{column}' is for a language the bundle does not declare")
    if any(c not in header for c in ("code", "parent", "admin_level")):
        return
    index = {name: header.index(name) for name in header}
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problem(reader.line_num, f"CSV syntax error: {exc}", "csv-syntax")
            break
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problem(line, f"expected {len(header)} columns, found {len(row)}")
            continue
        level_text = row[index["admin_level"]].strip()
        try:
            level = int(level_text)
        except ValueError:
            problem(line, f"admin_level '{level_text}' is not a whole number")
            continue
        names = {lang: row[index[f"name_{lang}"]].strip() for lang in languages if f"name_{lang}" in index}
        parsed.locations.append(
            LocationRow(row[index["code"]].strip(), row[index["parent"]].strip(), level, names, line))


def check_locations(parsed: ParsedBundle) -> None:
    shown = parsed.locations_path
    levels = parsed.admin_levels

    def problem(line: int, message: str, severity: str = "error", code: str = "locations") -> None:
        parsed.problems.append(Problem(shown, line, message, severity, code))

    by_code: dict[str, LocationRow] = {}
    for row in parsed.locations:
        if not row.code:
            problem(row.line, "empty code")
            continue
        if row.code in by_code:
            problem(row.line, f"duplicate code '{row.code}' (first on line {by_code[row.code].line})",
                    code="duplicate-id")
            continue
        by_code[row.code] = row
        if levels and row.admin_level not in levels:
            problem(row.line, f"admin_level {row.admin_level} is not declared in bundle.yaml "
                    f"(declared: {', '.join(str(lvl) for lvl in sorted(levels))})")
        for lang, name in row.names.items():
            if not name:
                problem(row.line, f"location '{row.code}' name: missing '{lang}' translation "
                        f"(column name_{lang})", "error", "missing-translation")
    if not by_code and parsed.locations_path and not any(
            p.path == shown for p in parsed.problems):
        problem(1, "no locations", code="no-items")
    for row in by_code.values():
        if not row.parent:
            if row.admin_level != 0:
                problem(row.line, f"location '{row.code}' at level {row.admin_level} has no parent")
            continue
        parent = by_code.get(row.parent)
        if parent is None:
            problem(row.line, f"location '{row.code}': parent '{row.parent}' does not exist",
                    code="unknown-reference")
        elif parent.admin_level != row.admin_level - 1:
            problem(row.line, f"location '{row.code}' (level {row.admin_level}): parent "
                    f"'{row.parent}' is at level {parent.admin_level}, expected {row.admin_level - 1}")
    # Cycles: follow parents; a chain that comes back to a visited code is a cycle.
    reported: set[str] = set()
    for start in by_code.values():
        seen: list[str] = []
        code = start.code
        while code and code in by_code and code not in seen:
            seen.append(code)
            code = by_code[code].parent
        if code in seen:
            cycle = seen[seen.index(code):]
            if not reported.intersection(cycle):
                reported.update(cycle)
                chain = " -> ".join([*cycle, cycle[0]])
                problem(by_code[cycle[0]].line, f"locations form a cycle: {chain}")
