"""What a page may show of a case to the member viewing it."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

from ..models import Case
from ..permissions import identity_visible

register = template.Library()


@register.filter
def case_name(case: Case, at: Any) -> str:
    """The person's name, or "Name withheld" when the viewer may not read who they are
    (`at` is the page's `here`: the member, their role and the space's module)."""
    if at is None or not hasattr(at, "role"):
        return gettext("Name withheld")  # fail closed: no viewer, no name
    module = at.config.modules.get(case.module, at.module)
    if identity_visible(at.role, case, module):
        return case.full_name
    return gettext("Name withheld")
