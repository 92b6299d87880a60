"""Reading configuration reviews: implementers see every review, nobody else any."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from sandbox.accounts.models import User

from .models import ConfigurationReview


def reviews_for(user: User) -> QuerySet[ConfigurationReview]:
    if not (user.is_authenticated and user.is_administrator):
        return ConfigurationReview.objects.none()
    return ConfigurationReview.objects.select_related("created_by", "trial_space").defer("content")


def review_get(user: User, pk: int) -> ConfigurationReview:
    found = reviews_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such configuration review.")
    return found
