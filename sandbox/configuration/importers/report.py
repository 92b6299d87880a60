"""The import report: every step that did not keep the source exactly, and why.

An importer adds one `ReportEntry` per lossy step, with the source's `PATH:LINE`
and a group (what kind of loss it is). The report is written twice beside the
bundle: `import-report.md` for the implementer, `import-report.json` for tools.
Summary numbers (forms, fields, lookups...) and the coverage of each language
complete it, so a reviewer sees at a glance how much came across.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

#: Groups, in the order the report shows them, with the sentence that explains each.
GROUPS: dict[str, str] = {
    "unreadable": "Parts of the source that could not be read (the rest was imported).",
    "not_imported": "Records the sandbox has no place for.",
    "approximated": "Constructs converted to the nearest equivalent.",
    "dropped": "Properties with no equivalent in the sandbox (dropped).",
    "generated": "Things the importer made up because the source does not say them.",
    "missing": "What the sandbox expects and the source does not have.",
    "permissions": "Permissions with no equivalent action in the sandbox.",
    "mapping": "Scenario concepts the proposed mapping.yaml could not match.",
}


@dataclass(frozen=True)
class ReportEntry:
    group: str
    path: str
    line: int
    message: str

    def location(self) -> str:
        return f"{self.path}:{self.line}"

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "message": self.message}


@dataclass
class ImportReport:
    source: str
    entries: list[ReportEntry] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)
    #: language -> (texts present, texts expected)
    coverage: dict[str, tuple[int, int]] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)

    def add(self, group: str, path: str, line: int, message: str) -> None:
        if group not in GROUPS:
            raise ValueError(f"unknown report group {group!r}")
        self.entries.append(ReportEntry(group, path, line, message))

    def by_group(self) -> dict[str, list[ReportEntry]]:
        grouped: dict[str, list[ReportEntry]] = {name: [] for name in GROUPS}
        for entry in self.entries:
            grouped[entry.group].append(entry)
        return {name: entries for name, entries in grouped.items() if entries}

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "summary": self.summary,
            "languages": {
                lang: {
                    "present": present,
                    "expected": expected,
                    "percent": round(100 * present / expected, 1) if expected else 100.0,
                }
                for lang, (present, expected) in self.coverage.items()
            },
            "lossy_steps": len(self.entries),
            "groups": {
                name: {
                    "description": GROUPS[name],
                    "count": len(entries),
                    "entries": [e.as_dict() for e in entries],
                }
                for name, entries in self.by_group().items()
            },
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_markdown(self) -> str:
        lines = [f"# Import report: {self.source}", ""]
        lines += ["## Summary", "", "| what | count |", "|---|---|"]
        lines += [f"| {name.replace('_', ' ')} | {count} |" for name, count in self.summary.items()]
        lines += [f"| lossy steps (below) | {len(self.entries)} |", ""]
        if self.coverage:
            lines += [
                "## Languages",
                "",
                f"Bundle languages: {', '.join(self.languages)}.",
                "",
                "| language | texts translated | of | coverage |",
                "|---|---|---|---|",
            ]
            for lang, (present, expected) in self.coverage.items():
                percent = 100 * present / expected if expected else 100.0
                lines.append(f"| {lang} | {present} | {expected} | {percent:.0f}% |")
            lines.append("")
        grouped = self.by_group()
        if not grouped:
            lines += ["Nothing was lost: every construct of the source has an equivalent.", ""]
        for name, entries in grouped.items():
            lines += [f"## {name.replace('_', ' ').capitalize()} ({len(entries)})", "", GROUPS[name], ""]
            counts = Counter(_kind_of(e.message) for e in entries)
            if len(entries) > 10 and len(counts) > 1:
                lines += ["| kind | count |", "|---|---|"]
                lines += [f"| {kind} | {count} |" for kind, count in counts.most_common()]
                lines.append("")
            lines += [f"- `{e.location()}`: {e.message}" for e in entries]
            lines.append("")
        return "\n".join(lines)


def _kind_of(message: str) -> str:
    """The part of a message before its first colon: groups similar entries in the tables."""
    return message.split(":", 1)[0] if ":" in message else message
