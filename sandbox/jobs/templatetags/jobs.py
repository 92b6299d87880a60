"""{% job_panel workshop %}: the workshop's jobs running or just finished, each polling
its own progress while it runs (htmx, like the live board)."""

from __future__ import annotations

from typing import Any

from django import template

from ..presentation import describe
from ..selectors import recent_jobs

register = template.Library()


@register.inclusion_tag("jobs/_panel.html", takes_context=True)
def job_panel(context: template.Context, workshop: Any, exercise: Any = None,
              kinds: str = "") -> dict[str, Any]:
    jobs = recent_jobs(workshop.pk, exercise_id=exercise.pk if exercise is not None else None,
                       kinds=tuple(k for k in kinds.split(",") if k))
    return {"items": [describe(job) for job in jobs], "csrf_token": context.get("csrf_token"),
            "request": context.get("request")}
