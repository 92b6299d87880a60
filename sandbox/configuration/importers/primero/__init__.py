"""Import a Primero v2 configuration (seed tree or configuration export) as a bundle.

`import_primero(source, out)` reads the source (`seed.py` for a folder of Ruby
seed files, `json_export.py` for a `.json` export), converts it (`convert.py`,
`forms.py`, `fields.py`, `access.py`), proposes a mapping of the scenario
vocabulary (`mapping.py`), and writes the bundle atomically with an import report
beside it (`writer.py`, `..report`). Reading goes on past what it cannot read;
the import fails only when nothing at all could be read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..report import ImportReport
from .convert import convert
from .json_export import read_export
from .mapping import propose_mapping
from .seed import read_seed_tree
from .texts import ANY, Context
from .values import PrimeroSource
from .writer import OutputExists, bundle_files, write_atomically, write_file_atomically

__all__ = ["ImportFailed", "ImportResult", "OutputExists", "import_primero", "read_source"]


class ImportFailed(Exception):
    """Nothing could be read from the source; nothing was written."""

    def __init__(self, message: str, report: ImportReport) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class ImportResult:
    bundle_dir: Path
    report: ImportReport
    report_md: Path
    report_json: Path


def read_source(source: Path) -> PrimeroSource:
    if source.is_file() and source.suffix.lower() == ".json":
        return read_export(source, source.name)
    if source.is_dir():
        return read_seed_tree(source)
    read = PrimeroSource()
    read.problems.append(_problem(source, "expected a Primero seed folder or a configuration .json file"))
    return read


def _problem(source: Path, message: str):  # type: ignore[no-untyped-def]
    from .values import SourceProblem

    return SourceProblem(str(source), 1, message)


def bundle_id_for(out: Path) -> str:
    slug = re.sub(r"[^a-z0-9_\-]+", "-", out.name.lower()).strip("-_")
    slug = re.sub(r"^[^a-z]+", "", slug)
    return slug or "primero"


def import_primero(
    source: Path,
    out: Path,
    *,
    languages: list[str] | None = None,
    force: bool = False,
    report_dir: Path | None = None,
    bundle_id: str | None = None,
) -> ImportResult:
    """Import `source` into the bundle folder `out`; the report goes beside it.

    Raises `ImportFailed` when nothing could be read and `OutputExists` when `out`
    is not empty and `force` is false; in both cases nothing is written.
    """
    report = ImportReport(source=source.name or str(source))
    if out.is_dir() and any(out.iterdir()) and not force:
        raise OutputExists(f"{out} is not empty (use --force to replace it)")
    read = read_source(source)
    for problem in read.problems:
        report.add("unreadable", problem.path, problem.line, problem.message)
    if not read.items:
        raise ImportFailed(f"{source}: nothing could be read", report)

    ctx = Context(report)
    converted = convert(read, ctx, bundle_id or bundle_id_for(out), source.name or str(source))
    mapping = propose_mapping(converted, ctx, source.name or str(source))
    found = ctx.languages_found()
    shown = source.name or str(source)
    chosen = list(languages) if languages else _complete_languages(ctx, found, report, shown)
    for lang in chosen:
        if lang not in found:
            report.add(
                "missing", source.name, 1, f"language '{lang}' was asked for and the source has no text in it"
            )
    converted.bundle["languages"] = chosen
    report.languages = chosen
    report.coverage = _finish_texts(ctx, chosen)
    report.summary = {**converted.summary, "languages": len(chosen)}

    write_atomically(out, bundle_files(converted, mapping, source.name or str(source)), force)
    where = report_dir or out.parent
    where.mkdir(parents=True, exist_ok=True)
    report_md, report_json = where / "import-report.md", where / "import-report.json"
    write_file_atomically(report_md, report.to_markdown())
    write_file_atomically(report_json, report.to_json())
    return ImportResult(out, report, report_md, report_json)


def _complete_languages(ctx: Context, found: list[str], report: ImportReport, shown: str) -> list[str]:
    """The languages the source covers completely: a bundle promises every text in each of
    its languages, so a partial one would fail validation. The others are reported with
    their coverage; `--languages` imports them anyway. With no complete language, the
    best-covered one is kept so that the bundle has texts at all."""
    unique = list({id(text): text for text in ctx.all_texts}.values())
    present = {lang: sum(1 for t in unique if (t.get(lang) or "").strip() or ANY in t) for lang in found}
    complete = [lang for lang in found if present[lang] == len(unique)]
    if not complete:
        complete = [max(found, key=lambda lang: present[lang])]
    for lang in found:
        if lang not in complete:
            report.add("missing", shown, 1,
                       f"language '{lang}' left out: {present[lang]} of {len(unique)} texts translated "
                       f"(import it anyway with --languages)")
    return complete


def _finish_texts(ctx: Context, languages: list[str]) -> dict[str, tuple[int, int]]:
    """Count each language's coverage, then keep only the bundle's languages in every text.

    A text Primero does not translate (a role's plain name) is the same in every language.
    """
    unique = list({id(text): text for text in ctx.all_texts}.values())
    coverage = {lang: (sum(1 for t in unique if lang in t or ANY in t), len(unique)) for lang in languages}
    for text in unique:
        plain = text.pop(ANY, None)
        for lang in list(text):
            if lang not in languages:
                del text[lang]
        if plain is not None:
            for lang in languages:
                text.setdefault(lang, plain)
    return coverage
