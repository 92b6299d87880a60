"""Skip logic: the server's evaluator (`conditions.py`), and the browser's (casework.js)
giving the same results on the same table of conditions and values."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from sandbox.configuration.conditions import evaluate, fields_named

CASEWORK_JS = Path(settings.BASE_DIR) / "sandbox" / "static" / "js" / "casework.js"

DATA: dict[str, Any] = {"age": 11, "sex": "female", "ticked": True, "unticked": False,
                        "needs": ["health", "education"], "dob": "2015-04-01",
                        "seen": "2026-03-01T10:30", "empty": "", "none_list": [], "code": "1"}

#: (condition, expected) on DATA.
CASES: list[tuple[dict[str, Any], bool]] = [
    ({"field": "sex", "equals": "female"}, True),
    ({"field": "sex", "equals": "male"}, False),
    ({"field": "sex", "in": ["male", "female"]}, True),
    ({"field": "needs", "equals": "health"}, True),              # a list contains the value
    ({"field": "needs", "in": ["legal", "education"]}, True),
    ({"field": "needs", "not_equals": "legal"}, True),
    ({"field": "needs", "not_equals": "health"}, False),
    ({"field": "sex", "not_equals": "male"}, True),
    ({"field": "missing", "not_equals": "x"}, True),             # no value is not "x"
    ({"field": "ticked", "equals": True}, True),
    ({"field": "unticked", "equals": False}, True),
    ({"field": "ticked", "equals": 1}, False),                   # true is not the number 1
    ({"field": "code", "equals": 1}, False),                     # "1" is not the number 1
    ({"field": "code", "equals": "1"}, True),
    ({"field": "age", "gt": 10}, True),
    ({"field": "age", "gt": 11}, False),
    ({"field": "age", "ge": 11}, True),
    ({"field": "age", "lt": 18}, True),
    ({"field": "age", "le": 10}, False),
    ({"field": "age", "gt": 10.5}, True),
    ({"field": "dob", "lt": "2016-01-01"}, True),                # dates compare as ISO text
    ({"field": "seen", "ge": "2026-03-01T10:30"}, True),
    ({"field": "age", "gt": "10"}, False),                       # number against text: false
    ({"field": "missing", "lt": 5}, False),
    ({"field": "sex", "exists": True}, True),
    ({"field": "empty", "exists": True}, False),
    ({"field": "none_list", "exists": False}, True),
    ({"field": "missing", "exists": False}, True),
    ({"field": "unticked", "exists": True}, True),               # "no" is an answer
    ({"all": [{"field": "age", "ge": 6}, {"field": "sex", "equals": "female"}]}, True),
    ({"all": [{"field": "age", "ge": 12}, {"field": "sex", "equals": "female"}]}, False),
    ({"any": [{"field": "age", "ge": 12}, {"field": "sex", "equals": "female"}]}, True),
    ({"any": [{"field": "age", "ge": 12}, {"field": "sex", "equals": "male"}]}, False),
    ({"not": {"field": "sex", "equals": "male"}}, True),
    ({"not": {"field": "missing", "gt": 1}}, True),
    ({"all": [{"any": [{"field": "needs", "equals": "legal"}, {"not": {"field": "ticked",
                                                                          "equals": False}}]},
              {"field": "seen", "lt": "2026-03-02"}]}, True),
]


@pytest.mark.parametrize(("condition", "expected"), CASES)
def test_server_evaluation(condition: dict[str, Any], expected: bool) -> None:
    assert evaluate(condition, DATA) is expected


def test_no_condition_shows_the_field() -> None:
    assert evaluate(None, {}) and evaluate({}, {})


def test_fields_named() -> None:
    assert fields_named({"all": [{"field": "a", "equals": 1}, {"any": [
        {"field": "b", "gt": 2}, {"not": {"field": "c", "exists": True}}]}]}) == {"a", "b", "c"}
    assert fields_named(None) == set()


def test_the_browser_gives_the_same_results() -> None:
    """casework.js's evaluator, run by Node on the same table, agrees with the server."""
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "Node.js is needed to run the browser's skip logic outside a browser"
    script = f"""
    const window = {{}};
    const document = {{addEventListener() {{}}, querySelector() {{ return null; }}}};
    const CSS = {{escape: (s) => s}};
    {CASEWORK_JS.read_text(encoding="utf-8")}
    const data = {json.dumps(DATA)};
    const cases = {json.dumps([c for c, _ in CASES])};
    const read = (field) => (field in data ? data[field] : null);
    console.log(JSON.stringify(cases.map((c) => window.sandboxSkipLogic.evaluate(c, read))));
    """
    done = subprocess.run([node, "-e", script], capture_output=True, text=True, timeout=30,
                          check=True)
    browser = json.loads(done.stdout)
    assert browser == [expected for _, expected in CASES]
    assert browser == [evaluate(c, DATA) for c, _ in CASES]
