"""The JSON Schema of the bundle format, generated from the pydantic models in `schema.py`.

`docs/reference/bundle-schema.json` is this module's output; a test fails when the
file is stale. Regenerate it with:

    .venv/bin/python -m sandbox.configuration.bundle.jsonschema > docs/reference/bundle-schema.json

Editors that understand JSON Schema (VS Code's YAML extension, for one) can use it to
complete and check bundle files as they are typed. It describes each file's shape;
references between files are the validator's work (`validate_config`).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import models_json_schema

from .schema import LIST_FILES, BundleSpec, FormSectionSpec


def bundle_json_schema() -> dict[str, Any]:
    models = [BundleSpec, FormSectionSpec, *(m for keys in LIST_FILES.values() for m in keys.values())]
    refs, schema = models_json_schema([(m, "validation") for m in models], by_alias=True,
                                      ref_template="#/$defs/{model}")
    files: dict[str, Any] = {
        "bundle.yaml": refs[(BundleSpec, "validation")],
        "forms/*.yaml": refs[(FormSectionSpec, "validation")],
    }
    for name, keys in LIST_FILES.items():
        files[name] = {
            "type": "object",
            "additionalProperties": False,
            "required": list(keys),
            "properties": {key: {"type": "array", "items": refs[(model, "validation")]}
                           for key, model in keys.items()},
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Configuration bundle, format version 2",
        "description": "The shape of each file of a configuration bundle (docs/implementers/bundles.md). "
                       "Use the definition under 'files' that matches the file's name.",
        "files": files,
        "$defs": schema.get("$defs", {}),
    }


def render() -> str:
    return json.dumps(bundle_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    print(render(), end="")
