"""Writes on accounts: removing the demo accounts before a deployment."""

from __future__ import annotations

from django.db import transaction

from .checks import demo_accounts_present
from .models import User


@transaction.atomic
def remove_demo_accounts(heir: User | None = None) -> list[str]:
    """Delete every demo account; the workshops a demo trainer ran go to `heir`.

    Workshops protect their trainer from deletion (their results must keep an
    owner), which is why the admin could not delete the demo trainer. Without an
    heir, the demo accounts' workshops are deleted with them.
    """
    from sandbox.workshops.models import Workshop

    names = demo_accounts_present()
    demo = User.objects.filter(username__in=names)
    if heir is not None:
        demo = demo.exclude(pk=heir.pk)
        Workshop.objects.filter(trainer__in=demo).update(trainer=heir)
    else:
        Workshop.objects.filter(trainer__in=demo).delete()
    removed = sorted(demo.values_list("username", flat=True))
    demo.delete()
    return removed
