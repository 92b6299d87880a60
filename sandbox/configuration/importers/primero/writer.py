"""Write a converted bundle to disk, all of it or nothing.

The bundle is built in a temporary folder next to the target and renamed into
place at the end, so a failure (or an interrupted run) never leaves half a
bundle where a loader could find it. YAML is emitted here rather than by a YAML
library so that the files read like the shipped bundles (translated texts on one
line) and so that `mapping.yaml` can carry a comment on every proposed entry.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

from .convert import ConvertedBundle
from .mapping import Entry, Mapping

PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]*$")
YAML_WORDS = {"y", "n", "yes", "no", "true", "false", "on", "off", "null"}
FLOW_WIDTH = 100


class OutputExists(Exception):
    """The target folder exists and is not empty (and --force was not given)."""


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if PLAIN.match(text) and text.lower() not in YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(value: Any) -> str | None:
    """`value` on one line, or None when it is too big or nested for that."""
    if isinstance(value, dict):
        if any(isinstance(v, (dict, list)) for v in value.values()):
            return None
        text = "{" + ", ".join(f"{scalar(k)}: {scalar(v)}" for k, v in value.items()) + "}"
    elif isinstance(value, list):
        if any(isinstance(v, (dict, list)) for v in value):
            return None
        text = "[" + ", ".join(scalar(v) for v in value) + "]"
    else:
        return scalar(value)
    return text if len(text) <= FLOW_WIDTH else None


def emit(value: Any, indent: int = 0) -> list[str]:
    """Block-style YAML lines for a dict or list."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            one_line = (
                flow(item)
                if not (isinstance(item, (dict, list)) and not item)
                else ("{}" if isinstance(item, dict) else "[]")
            )
            if one_line is not None and (not isinstance(item, dict) or len(one_line) <= 80 or _is_text(item)):
                lines.append(f"{pad}{scalar(key)}: {one_line}")
            else:
                lines.append(f"{pad}{scalar(key)}:")
                lines.extend(emit(item, indent + 2))
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                inner = emit(item, indent + 2)
                lines.append(f"{pad}- {inner[0].lstrip()}")
                lines.extend(inner[1:])
            else:
                one_line = flow(item)
                if one_line is None:
                    inner = emit(item, indent + 2)
                    lines.append(f"{pad}-")
                    lines.extend(inner)
                else:
                    lines.append(f"{pad}- {one_line}")
    return lines


def _is_text(value: dict) -> bool:
    return all(isinstance(v, str) for v in value.values())


def yaml_document(header: str, data: Any) -> str:
    comment = "".join(f"# {line}\n" for line in header.splitlines())
    return comment + "\n".join(emit(data)) + "\n"


def mapping_document(mapping: Mapping, header: str) -> str:
    lines = [f"# {line}" for line in header.splitlines()]
    for section, entries in mapping.items():
        lines.append(f"{section}:")
        for concept, entry in entries.items():
            if isinstance(entry, Entry):
                lines.append(f"  {scalar(concept)}: {scalar(entry.value)}    # {entry.comment}: confirm")
            else:
                lines.append(f"  {scalar(concept)}:")
                for option, inner in entry.items():
                    lines.append(f"    {scalar(option)}: {scalar(inner.value)}    # {inner.comment}: confirm")
    return "\n".join(lines) + "\n"


def locations_csv(rows: list[tuple[str, str, int, dict[str, str]]], languages: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "parent", "admin_level", *(f"name_{lang}" for lang in languages)])
    for code, parent, level, names in rows:
        writer.writerow([code, parent, level, *(names.get(lang, "") for lang in languages)])
    return buffer.getvalue()


def bundle_files(out: ConvertedBundle, mapping: Mapping, source_name: str) -> dict[str, str]:
    """File name (relative to the bundle folder) -> content."""
    origin = f"Imported from the Primero configuration {source_name}; see import-report.md."
    files = {
        "bundle.yaml": yaml_document(origin, out.bundle),
        "modules.yaml": yaml_document(origin, {"modules": out.modules}),
        "lookups.yaml": yaml_document(origin, {"lookups": out.lookups}),
        "agencies.yaml": yaml_document(origin, {"agencies": out.agencies, "user_groups": out.user_groups}),
        "roles.yaml": yaml_document(origin, {"roles": out.roles}),
        "policy.yaml": yaml_document(origin, {"policies": out.policies}),
        "locations.csv": locations_csv(out.locations, out.bundle["languages"]),
        "mapping.yaml": mapping_document(
            mapping,
            "Proposed by import_config from the Primero configuration "
            f"{source_name}.\nEvery entry is a guess: check it, fix it, then "
            "delete its comment.",
        ),
    }
    for index, section in enumerate(out.sections, start=1):
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", section["id"])
        files[f"forms/{index * 10:03d}_{safe}.yaml"] = yaml_document(origin, section)
    return files


def write_atomically(target: Path, files: dict[str, str], force: bool) -> None:
    """Write `files` into `target` through a temporary folder next to it."""
    if target.exists() and not target.is_dir():
        raise OutputExists(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise OutputExists(f"{target} is not empty (use --force to replace it)")
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".{target.name}.import-{os.getpid()}"
    if temporary.exists():
        shutil.rmtree(temporary)
    try:
        for name, content in files.items():
            path = temporary / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
        old = None
        if target.exists():
            old = target.parent / f".{target.name}.replaced-{os.getpid()}"
            target.rename(old)
        temporary.rename(target)
        if old is not None:
            shutil.rmtree(old)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary)


def write_file_atomically(path: Path, content: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    temporary.write_text(content, encoding="utf-8")
    os.replace(temporary, path)
