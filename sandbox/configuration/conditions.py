"""Skip logic: evaluate a `show_if` condition against case data, and list the fields it names.

A pure module (no database, no Django): the case system's form validation, its
pages and the validator use it, and `static/js/casework.js` implements the same
rules in the browser. A condition is the stored form of a bundle's `show_if`:

    {field: F, equals: V} / {field: F, in: [V, ...]} / {field: F, not_equals: V}
    {field: F, gt|ge|lt|le: N}       numbers, or dates and date-times as ISO strings
    {field: F, exists: true|false}   has a value (an empty text or list is none)
    {all: [C, ...]} / {any: [C, ...]} / {not: C}

Values compare strictly by kind: the tick box value `true` never equals the number
1, and "1" (an option id) never equals the number 1. A field holding a list (a
multi-select) equals a value when the list contains it. A comparison with a
missing value, or with a value of another kind, is false (and so its `not` is true).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Condition = Mapping[str, Any]

#: The keys that compare one field with a value.
COMPARISONS = ("equals", "in", "not_equals", "gt", "ge", "lt", "le", "exists")


def is_empty(value: Any) -> bool:
    """No answer: nothing, an empty text, an empty list or mapping."""
    return value is None or value == "" or value == [] or value == {}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if _is_number(a) and _is_number(b):
        return a == b
    return type(a) is type(b) and a == b


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _matches(current: Any, wanted: Any) -> bool:
    if isinstance(current, list):
        return any(_same(item, wanted) for item in current)
    return _same(current, wanted)


def _order(current: Any, op: str, bound: Any) -> bool:
    if _is_number(current) and _is_number(bound):
        pass
    elif isinstance(current, str) and isinstance(bound, str):
        pass
    else:
        return False
    if op == "gt":
        return bool(current > bound)
    if op == "ge":
        return bool(current >= bound)
    if op == "lt":
        return bool(current < bound)
    return bool(current <= bound)


def evaluate(condition: Condition | None, data: Mapping[str, Any]) -> bool:
    """Is the condition true of `data` (field id -> value)? No condition is true."""
    if not condition:
        return True
    if "all" in condition:
        return all(evaluate(c, data) for c in condition["all"])
    if "any" in condition:
        return any(evaluate(c, data) for c in condition["any"])
    if "not" in condition:
        return not evaluate(condition["not"], data)
    current = data.get(condition.get("field", ""))
    if "equals" in condition:
        return _matches(current, condition["equals"])
    if "in" in condition:
        return any(_matches(current, v) for v in condition["in"] or [])
    if "not_equals" in condition:
        return not _matches(current, condition["not_equals"])
    if "exists" in condition:
        return (not is_empty(current)) is bool(condition["exists"])
    for op in ("gt", "ge", "lt", "le"):
        if op in condition:
            return _order(current, op, condition[op])
    return True


def fields_named(condition: Condition | None) -> set[str]:
    """Every field id the condition (and the conditions inside it) refers to."""
    if not condition:
        return set()
    names: set[str] = set()
    if isinstance(condition.get("field"), str):
        names.add(condition["field"])
    for key in ("all", "any"):
        for child in condition.get(key) or []:
            names |= fields_named(child)
    if condition.get("not"):
        names |= fields_named(condition["not"])
    return names
