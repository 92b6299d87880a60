"""The go-live report: can the scenario library run on an implementer's bundle?

`golive_report(directory=...)` validates a bundle directory and loads it in a
transaction that is always rolled back, under a temporary code: the
configuration that running workshops use is never touched, even when the
checked bundle has the same id as a loaded one. `golive_report(bundle_code=...)`
checks a bundle already loaded (also rolled back). The report is plain data
(JSON-ready): the command line prints it as text, JSON or HTML, and an
administrator page can render the same.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.db import transaction

from sandbox.common.sourcefiles import Source, read_yaml
from sandbox.configuration.bundle.validate import validate_bundle
from sandbox.configuration.models import Bundle
from sandbox.configuration.runtime import BundleConfig, clear_cache, get_config
from sandbox.configuration.vocabulary import BundleIds, check_mapping
from sandbox.configuration.vocabulary.resolve import module_for

from .check import check_one


class _Rollback(Exception):
    pass


def _temporary_code(code: str) -> str:
    """A bundle code no workshop uses, for the bundle under check."""
    base = f"golive-{code}"[:70]
    candidate, n = base, 1
    while Bundle.objects.filter(code=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _mapping_problems(config: BundleConfig, source: Source | None) -> list[str]:
    """The mapping checked against the child protection module, as `validate_config` checks
    it: its consent kinds, services and fields are that module's (a GBV module beside it has
    its own, and its scenarios are checked one by one below)."""
    data = source.data if source is not None else None
    mapped = ((data or {}).get("modules") or {}).get("cp") if isinstance(data, dict) else None
    module = (config.modules.get(str(mapped)) or config.modules.get("cp")
              or next(iter(config.modules.values()), None))
    if module is None:
        return []
    def module_ids(concept: str) -> BundleIds | None:
        found = module_for(config, concept)
        return BundleIds.from_config(config, found) if found is not None else None

    return sorted({str(p) for p in check_mapping(source, BundleIds.from_config(config, module),
                                                 module_ids=module_ids)})


def _summary(report: dict[str, Any]) -> dict[str, int]:
    steps = [s for r in report["scenarios"] for s in r["steps"]]
    return {"scenarios": len(report["scenarios"]),
            "scenarios_ok": sum(1 for r in report["scenarios"] if r["ok"]),
            "steps": len(steps), "steps_runnable": sum(1 for s in steps if s["runnable"]),
            "mapping_problems": len(report["mapping"]["problems"])}


def _to_map(report: dict[str, Any]) -> list[dict[str, Any]]:
    """What to add to mapping.yaml, most wanted first: each `KIND.CONCEPT` the notes and
    problems ask for, with how often and in which scenarios."""
    wanted: dict[str, dict[str, Any]] = {}
    for result in report["scenarios"]:
        for text in [*result["problems"], *result["notes"]]:
            for key in re.findall(r"map `([^`]+)` in mapping\.yaml", text):
                entry = wanted.setdefault(key, {"key": key, "count": 0, "scenarios": []})
                entry["count"] += 1
                if result["id"] not in entry["scenarios"]:
                    entry["scenarios"].append(result["id"])
    return sorted(wanted.values(), key=lambda e: (-len(e["scenarios"]), -e["count"], e["key"]))


def golive_report(paths: list[Path] | None = None, *, directory: Path | None = None,
                  bundle_code: str | None = None) -> dict[str, Any]:
    """The report for the scenarios `paths` (default: the library) on a bundle directory
    or a loaded bundle.

    Without either, each scenario is checked on the bundle it names. Keys: `ok`,
    `bundle` (id and name, or None), `bundle_problems` (the bundle does not validate:
    nothing else is checked), `mapping` {`problems`}, `scenarios[]` (see `check_one`),
    `to_map[]` (`key`, `count`, `scenarios`: what mapping.yaml could add), `summary`."""
    if paths is None:
        from sandbox.simulation.scenario.load import library

        paths = library()
    report: dict[str, Any] = {"ok": False, "bundle": None, "bundle_problems": [],
                              "mapping": {"problems": []}, "scenarios": [], "not_applicable": []}
    try:
        with transaction.atomic():
            _fill(report, paths, directory, bundle_code)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        # The runtime cache may hold the rolled-back configuration: forget it.
        clear_cache()
    report["to_map"] = _to_map(report)
    report["summary"] = _summary(report)
    report["ok"] = not report["bundle_problems"] and not report["mapping"]["problems"] and all(
        r["ok"] for r in report["scenarios"])
    return report


def _fill(report: dict[str, Any], paths: list[Path], directory: Path | None,
          bundle_code: str | None) -> None:
    config: BundleConfig | None = None
    source: Source | None = None
    if directory is not None:
        from sandbox.configuration.bundle.load import write_bundle

        parsed = validate_bundle(directory)
        if not parsed.valid or parsed.bundle is None:
            report["bundle_problems"] = [str(p) for p in parsed.sorted_problems()]
            return
        spec = parsed.bundle.spec
        report["bundle"] = {"id": spec.id, "name": spec.name, "directory": str(directory)}
        parsed.bundle.spec = spec.model_copy(update={"id": _temporary_code(spec.id)})
        config = get_config(write_bundle(parsed))
        source = parsed.mapping
    elif bundle_code is not None:
        bundle = Bundle.objects.get(code=bundle_code)
        config = get_config(bundle)
        report["bundle"] = {"id": bundle.code, "name": bundle.name, "directory": bundle.source_path}
        mapping_file = Path(bundle.source_path or "") / "mapping.yaml"
        if bundle.source_path and mapping_file.is_file():
            source, _problems = read_yaml(mapping_file)
    if config is not None:
        report["mapping"]["problems"] = _mapping_problems(config, source)
    for path in paths:
        target = config
        if target is None:
            from sandbox.simulation.scenario.load import read_scenario

            parsed_scenario = read_scenario(path)
            code = parsed_scenario.scenario.config if parsed_scenario.scenario else None
            bundle = Bundle.objects.filter(code=code).first() if code else None
            target = get_config(bundle) if bundle else None
        if target is config and config is not None:
            skipped = _not_applicable(path, config)
            if skipped is not None:
                report["not_applicable"].append(skipped)
                continue
        report["scenarios"].append(check_one(
            path, target, (report["bundle"] or {}).get("id") if target is config else None))


def _not_applicable(path: Path, config: BundleConfig) -> dict[str, Any] | None:
    """A scenario of a module this bundle does not have (a GBV scenario on a bundle with only
    child protection), written for another bundle: not a finding, it is left out and said.
    On its own bundle, or when mapping.yaml names a module for it, it is checked as usual."""
    from sandbox.simulation.scenario.load import read_scenario

    parsed = read_scenario(path)
    scenario = parsed.scenario
    if scenario is None or scenario.config == config.code or scenario.module == "cp" \
            or module_for(config, scenario.module) is not None:
        return None
    return {"path": str(path), "id": scenario.id, "module": scenario.module,
            "why": f"the bundle has no module for '{scenario.module}' (map "
                   f"`modules.{scenario.module}` in mapping.yaml to check it here)"}
