"""Translated texts: every declared language present, no undeclared one; and the summary
of translation gaps that keeps a report of an untranslated bundle readable.

A missing translation in a declared language is an error: a bundle that declares a
language promises every text in it, and a trainee reading that language would
otherwise meet another language in the middle of a form. A text with no words in
any language is an error too. An imported configuration often has whole
languages untranslated; instead of one line per text, the report says per
language how many texts are missing and where the first few are
(`summarise`); `validate_config --verbose` and `--format json` list them all.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sandbox.common.sourcefiles import Problem

from .context import Context, FieldRef

MISSING = "missing-translation"
#: How many places the summary line of a language names.
FIRST_FEW = 3


def check_text(ctx: Context, item: Any, value: dict[str, str] | None, what: str, *keys: str | int,
               required: bool = True) -> None:
    """A translated text must have every declared language, and only those."""
    if value is None:
        return
    if required and not any((text or "").strip() for text in value.values()):
        ctx.error(item, f"{what}: no text in any language", *keys, code="empty-text")
        return
    for lang in ctx.languages:
        if not (value.get(lang) or "").strip():
            ctx.error(item, f"{what}: missing '{lang}' translation", *keys, code=MISSING)
    for lang in value:
        if ctx.languages and lang not in ctx.languages:
            ctx.warning(item, f"{what}: language '{lang}' is not declared in bundle.yaml "
                        f"(declared: {', '.join(ctx.languages)})", *keys, lang, code="undeclared-language")


def check_field_text(ctx: Context, ref: FieldRef, what: str) -> None:
    check_text(ctx, ref, ref.spec.label, f"{what} label", "label")
    check_text(ctx, ref, ref.spec.help, f"{what} help", "help", required=False)
    if ref.spec.validation is not None:
        check_text(ctx, ref, ref.spec.validation.message, f"{what} validation message",
                   "validation", "message")


def _language(problem: Problem) -> str:
    start = problem.message.rfind("missing '") + len("missing '")
    return problem.message[start:problem.message.index("'", start)]


def summarise(problems: list[Problem]) -> list[Problem]:
    """The problems with translation gaps folded into one problem per language.

    Each summary is placed at the first gap of its language, so it sorts with the
    other problems of that file: "N texts missing in 'fr' (first: PATH:LINE, ...)".
    """
    gaps: dict[str, list[Problem]] = defaultdict(list)
    others: list[Problem] = []
    for problem in problems:
        if problem.code == MISSING:
            gaps[_language(problem)].append(problem)
        else:
            others.append(problem)
    for lang, found in gaps.items():
        found.sort()
        if len(found) == 1:
            others.append(found[0])
            continue
        first = ", ".join(f"{p.path}:{p.line}" for p in found[:FIRST_FEW])
        more = ", ..." if len(found) > FIRST_FEW else ""
        others.append(Problem(
            found[0].path, found[0].line,
            f"{len(found)} texts missing in '{lang}' (first: {first}{more}; "
            f"--verbose lists them all)",
            found[0].severity, "missing-translations"))
    return sorted(others)
