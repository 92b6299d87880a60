"""Reviewing an implementer's configuration: upload, import, validate, go-live check,
and a trial space on it.

Only administrators (implementers) review configurations. Everything a review
finds is kept with it, so the page can be shown again and shared without running
the checks twice. Loading for a trial happens under the review's own bundle code,
so a bundle whose file says `id: default` never replaces the configuration that
running workshops use.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from ruamel.yaml import YAML

from sandbox.accounts.models import User
from sandbox.common.errors import NotAllowed, ValidationFailed
from sandbox.configuration.bundle.load import BundleInvalid, load_bundle
from sandbox.configuration.bundle.validate import validate_bundle
from sandbox.configuration.models import Bundle, Field
from sandbox.configuration.runtime import get_config
from sandbox.simulation import snapshot
from sandbox.simulation.models import SpaceSeed
from sandbox.spaces.models import Space
from sandbox.spaces.services import member_add, space_create

from . import adapters
from .archive import unpack
from .models import ConfigurationReview


def require_implementer(user: User) -> None:
    if not (user.is_authenticated and user.is_administrator):
        raise NotAllowed(_("Only implementers (administrators) review configurations."))


def _bundle_folder(review_kind: str, path: Path, work: Path,
                   filename: str) -> tuple[Path | None, dict[str, Any]]:
    """The bundle folder to validate and the import report (empty for a bundle)."""
    if review_kind == ConfigurationReview.Kind.BUNDLE:
        return path, {}
    # The imported bundle is named after the uploaded file, as an implementer named it.
    out = work / "bundle" / (slugify(Path(filename).stem) or "primero")
    report = adapters.import_primero(path, out)
    return (out if (out / "bundle.yaml").is_file() else None), report


def review_upload(*, by: User, filename: str, content: bytes) -> ConfigurationReview:
    """Read, import when needed, validate and check the scenario library on an upload."""
    require_implementer(by)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="sandbox-review-") as tmp:
        work = Path(tmp)
        (work / "upload").mkdir()
        unpacked = unpack(filename, content, work / "upload")
        folder, import_report = _bundle_folder(unpacked.kind, unpacked.path, work, filename)
        if folder is None:
            raise ValidationFailed(
                _("Nothing could be imported from %(file)s.") % {"file": filename},
                details={"import_report": import_report})
        parsed = validate_bundle(folder)
        problems = [_problem_dict(p, folder) for p in parsed.sorted_problems()]
        spec = parsed.bundle.spec if parsed.bundle is not None else None
        golive: dict[str, Any] = {}
        if parsed.valid:
            golive = adapters.golive_report(folder)
            status = (ConfigurationReview.Status.READY if golive.get("ok")
                      else ConfigurationReview.Status.VALID)
        else:
            status = ConfigurationReview.Status.INVALID
    return ConfigurationReview.objects.create(
        created_by=by, filename=filename[:255], kind=unpacked.kind, content=content,
        status=status, bundle_id_in_file=spec.id if spec else "",
        bundle_name=spec.name if spec else {}, languages=list(spec.languages) if spec else [],
        import_report=import_report, validation=problems, golive=golive,
        seconds=round(time.perf_counter() - started, 2))


def _problem_dict(problem: Any, folder: Path) -> dict[str, Any]:
    """A problem as stored: its path relative to the bundle, so no server path shows."""
    data = dict(problem.as_dict())
    path = str(data.get("path", ""))
    prefix = str(folder) + "/"
    data["path"] = path[len(prefix):] if path.startswith(prefix) else Path(path).name
    data.setdefault("severity", "error")
    return data


def _drop_space(space: Space) -> None:
    """Remove a trial space with everything in it (its event log included)."""
    snapshot.purge(space)
    SpaceSeed.objects.filter(space=space).delete()
    space.delete()


def _relabel(folder: Path, code: str) -> None:
    """Give the bundle in `folder` the trial's code, keeping the rest of bundle.yaml."""
    yaml = YAML()
    path = folder / "bundle.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"))
    data["id"] = code
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


def default_role(review: ConfigurationReview) -> str:
    """The role a trial starts in: the bundle's case worker when its mapping says which."""
    if review.trial_bundle is None:
        return ""
    config = get_config(review.trial_bundle)
    mapped = (config.mapping.get("roles") or {}).get("case_worker")
    if mapped in config.roles:
        return mapped
    return next((code for code, role in config.roles.items() if role.can("case.register")),
                next(iter(config.roles), ""))


@transaction.atomic
def review_trial(*, by: User, review: ConfigurationReview, role: str = "") -> Space:
    """Load the reviewed configuration under the review's own code and open (or open
    again, empty) a trial space on it with `by` as a member."""
    require_implementer(by)
    review = ConfigurationReview.objects.select_for_update().get(pk=review.pk)
    if review.status == ConfigurationReview.Status.INVALID:
        raise ValidationFailed(_("This configuration has problems that block loading; "
                                 "correct them and upload it again."))
    if review.trial_space is not None:
        _drop_space(review.trial_space)
        review.trial_space = None
    with tempfile.TemporaryDirectory(prefix="sandbox-trial-") as tmp:
        work = Path(tmp)
        (work / "upload").mkdir()
        unpacked = unpack(review.filename, bytes(review.content), work / "upload")
        folder, _report = _bundle_folder(unpacked.kind, unpacked.path, work, review.filename)
        if folder is None:
            raise ValidationFailed(_("Nothing could be imported from %(file)s.")
                                   % {"file": review.filename})
        _relabel(folder, review.trial_code)
        try:
            bundle = load_bundle(folder)
        except BundleInvalid as exc:
            raise ValidationFailed(_("This configuration has problems that block loading; "
                                     "correct them and upload it again."),
                                   details={"problems": [str(p) for p in exc.problems]}) from exc
    config = get_config(bundle)
    review.trial_bundle = bundle
    role = role or default_role(review)
    if role not in config.roles:
        raise ValidationFailed(_("Unknown role '%(role)s'.") % {"role": role})
    module = next(iter(config.modules))
    space = space_create(slug=review.trial_code, title=_("Trial of %(file)s") % {"file": review.filename},
                         bundle=bundle, module=module)
    agency = next(iter(config.agencies), "")
    member_add(space=space, role=role, user=by, agency=agency)
    review.trial_space = space
    review.save(update_fields=["trial_bundle", "trial_space"])
    return space


@transaction.atomic
def review_delete(*, by: User, review: ConfigurationReview) -> None:
    """Remove a review with its trial space and trial configuration."""
    require_implementer(by)
    review = ConfigurationReview.objects.select_for_update().get(pk=review.pk)
    space, bundle = review.trial_space, review.trial_bundle
    review.delete()
    if space is not None:
        _drop_space(space)
    if bundle is not None and not Space.objects.filter(bundle=bundle).exists():
        # Fields hold their lookups protected: they go first, as when a bundle is reloaded.
        Field.objects.filter(section__bundle=bundle).delete()
        Bundle.objects.filter(pk=bundle.pk).delete()
