"""The case-management glossary (locale/glossary.yaml) and the check that the interface
catalogues use its terms.

A catalogue entry whose English contains a glossary term must contain that language's
term, and none of the words the glossary says to avoid for it. Real exceptions (an idiom
where the term would be wrong) are listed under `exceptions` in the glossary, each with
its reason.

Usage: python -m sandbox.common.glossary [locale]          check the catalogues
       python -m sandbox.common.glossary --markdown [--french] [locale]  the docs page
Prints `PATH:LINE: message` for each inconsistency and exits with status 1 if any.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel.messages.pofile import read_po

#: Placeholders (%(case)s, {case}) and identifiers (case.view, case_plan) in an English text.
CODES = re.compile(r"%\(\w+\)[sd]|\{\w*\}|\b\w+(?:[._]\w+)+\b")

#: The languages of the glossary, in the order of its columns.
LANGUAGES = ("en", "fr", "ar", "es", "sw", "km")


@dataclass(frozen=True)
class Term:
    id: str
    #: language -> the term as the glossary writes it ("closure (of a case)", "gestor/a de casos").
    words: dict[str, str]
    #: language -> "word: why not".
    avoid: dict[str, str] = field(default_factory=dict)
    #: language -> further accepted forms (plurals, forms with an article the term lacks).
    forms: dict[str, list[str]] = field(default_factory=dict)

    def english(self) -> re.Pattern[str]:
        """The English term, its plural and -ed/-ing forms, as whole words."""
        word = re.sub(r"\s*\(.*?\)", "", self.words["en"]).strip()
        return re.compile(rf"\b{re.escape(word)}(s|es|ed|ing)?\b", re.IGNORECASE)

    def accepted(self, language: str) -> list[str]:
        """The forms a translation may use: the term, each alternative ("survivante /
        survivant"), the stem of inclusive forms ("gestor/a", "participant·e"), and the
        glossary's further forms."""
        written = self.words.get(language, "")
        found = [*self.forms.get(language, [])]
        for part in re.split(r"\s+/\s+", written):
            part = re.sub(r"\s*\(.*?\)", "", part).strip()
            if part:
                found += [part, re.sub(r"(\w+)[/·]\w+", r"\1", part)]
            if language == "km" and part.startswith("ការ"):
                # Khmer makes a noun of a verb with ការ; the verb itself is the same term.
                found.append(part[len("ការ"):])
        return [normal(form) for form in found]

    def avoided(self, language: str) -> str | None:
        reason = self.avoid.get(language)
        return reason.split(":", 1)[0].strip() if reason else None


@dataclass(frozen=True)
class Glossary:
    terms: list[Term]
    #: (language, msgid, term id) -> why the term is not used there.
    exceptions: dict[tuple[str, str, str], str]


def normal(text: str) -> str:
    """Lower case, canonical Unicode, no soft hyphens or zero-width joiners, and no Arabic
    short-vowel marks or tatweel (optional in writing: مدرّب is مدرب)."""
    text = unicodedata.normalize("NFC", text).casefold()
    return re.sub("[\u00ad\u200b\u200c\u200d\u0640\u064b-\u0652\u0670]", "", text)


def load(path: Path) -> Glossary:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    terms = [
        Term(id=item["id"], words={lang: item[lang] for lang in LANGUAGES if item.get(lang)},
             avoid=dict(item.get("avoid") or {}),
             forms={lang: list(forms) for lang, forms in (item.get("forms") or {}).items()})
        for item in data.get("terms", [])
    ]
    exceptions = {(e["language"], e["msgid"], e["term"]): e["reason"]
                  for e in data.get("exceptions") or []}
    return Glossary(terms, exceptions)


def problems_in(po_path: Path, glossary: Glossary, language: str) -> list[str]:
    """The entries of one catalogue that do not use the glossary's term, or use a word
    the glossary says to avoid."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    found = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        msgid = ids[0]
        translated = normal(" ".join(s for s in strings if s))
        line = message.lineno or 1
        # Placeholders and codes (%(case)s, case.view, case_plan) are not words of the text.
        english = [CODES.sub(" ", text) for text in ids]
        # Longest terms first, each hiding what it matched: "case plan" asks for the term
        # of the case plan, not also the word for "case".
        for term in sorted(glossary.terms, key=lambda t: -len(t.words["en"])):
            pattern = term.english()
            if not any(pattern.search(text) for text in english):
                continue
            english = [pattern.sub(lambda m: " " * len(m.group()), text) for text in english]
            if language not in term.words:
                continue
            if {(lang, msgid, term_id) for lang in (language, "*") for term_id in (term.id, "*")} \
                    & glossary.exceptions.keys():
                continue
            avoided = term.avoided(language)
            if avoided and normal(avoided) in translated:
                found.append(f"{po_path}:{line}: {msgid!r} uses '{avoided}', which the glossary "
                             f"avoids for '{term.id}' (use '{term.words[language]}')")
            elif not any(form in translated for form in term.accepted(language)):
                found.append(f"{po_path}:{line}: {msgid!r} does not use the glossary's term for "
                             f"'{term.id}': '{term.words[language]}'")
    return found


#: The page's own words, in the languages the docs are written in (English, French).
PAGE_WORDS = {
    "en": {
        "title": "Glossary of case-management terms",
        "intro": ["The words the interface, the configuration bundles and the scenarios use for the",
                  "terms of child protection case management, in every shipped language. `make test`",
                  "checks that the interface catalogues use them (`python -m sandbox.common.glossary`)."],
        "avoid": "Words to avoid", "not": "not", "exceptions": "Accepted exceptions",
    },
    "fr": {
        "title": "Glossaire des termes de la gestion des cas",
        "intro": ["Les mots qu'emploient l'interface, les configurations et les scénarios pour les",
                  "termes de la gestion des cas de protection de l'enfance, dans chaque langue livrée.",
                  "`make test` vérifie que les catalogues de l'interface les emploient",
                  "(`python -m sandbox.common.glossary`)."],
        "avoid": "Mots à éviter", "not": "pas", "exceptions": "Exceptions admises",
    },
}


def markdown(glossary: Glossary, page: str = "en") -> str:
    """The glossary as a documentation page (in English or French): one table, a column
    per language, then the words to avoid and the accepted exceptions."""
    words = PAGE_WORDS[page]
    names = {"en": "English", "fr": "Français", "ar": "العربية", "es": "Español",
             "sw": "Kiswahili", "km": "ខ្មែរ"}
    lines = [
        f"# {words['title']}",
        "",
        "<!-- Generated from locale/glossary.yaml by `make glossary`; edit the YAML file,",
        "     not this page. -->",
        "",
        *words["intro"],
        "",
        "| " + " | ".join(names[lang] for lang in LANGUAGES) + " |",
        "|" + "---|" * len(LANGUAGES),
    ]
    for term in glossary.terms:
        cells = [term.words.get(lang, "").replace("|", "\\|") for lang in LANGUAGES]
        lines.append("| " + " | ".join(cells) + " |")
    avoided = [(term, lang, reason) for term in glossary.terms for lang, reason in term.avoid.items()]
    if avoided:
        lines += ["", f"## {words['avoid']}", ""]
        for term, lang, reason in avoided:
            word, _sep, why = reason.partition(":")
            lines.append(f"- {names[lang]}, *{term.words[lang]}*: {words['not']} “{word.strip()}” "
                         f"— {why.strip()}")
    if glossary.exceptions:
        lines += ["", f"## {words['exceptions']}", ""]
        for (lang, msgid, term_id), reason in sorted(glossary.exceptions.items()):
            lines.append(f"- {names.get(lang, lang)}, “{msgid}” ({term_id}): {reason}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--")]
    root = Path(args[0] if args else "locale")
    glossary = load(root / "glossary.yaml")
    if "--markdown" in argv:
        sys.stdout.write(markdown(glossary, "fr" if "--french" in argv else "en"))
        return 0
    problems = []
    for po_path in sorted(root.glob("*/LC_MESSAGES/django.po")):
        language = po_path.parts[-3]
        if language != "en":
            problems += problems_in(po_path, glossary, language)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} entr(y/ies) not following the glossary (locale/glossary.yaml)",
              file=sys.stderr)
        return 1
    print(f"Glossary terms used consistently ({len(glossary.terms)} terms)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
