"""What the pages call the person a case is about: "child" in child protection,
"survivor" in GBV case management (GBVIMS+ never says "victim", nor "child" of an adult).

The word is a property of the module (`person` in modules.yaml), not a branch on the
module's id: a bundle can name its own. Each form is a whole noun phrase with the article
its language needs, so that sentences place it only where no article has to agree with
it (a label on its own, or the object of a verb).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from sandbox.common.i18n import pick
from sandbox.configuration.runtime import ModuleDef

#: The forms a module's `person` gives, and what they are when it gives none.
DEFAULT = {
    "one": pgettext_lazy("person of a case", "Child"),
    "a": pgettext_lazy("person of a case", "a child"),
    "the": pgettext_lazy("person of a case", "the child"),
}


@dataclass(frozen=True)
class Person:
    """The forms of the word, in the active language: `one` stands alone (a heading, a
    label), `a` and `the` are the object of a sentence."""

    one: str
    a: str
    the: str


def person_of(module: ModuleDef | None) -> Person:
    """The module's word for the person of a case, in the active language."""
    forms = module.person if module is not None else {}
    return Person(**{form: str(pick(forms[form])) if forms.get(form) else str(default)
                     for form, default in DEFAULT.items()})
