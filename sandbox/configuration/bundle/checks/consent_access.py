"""Consent per provider, and the form access it gates (GBV, survivor-centred).

A policy may say, per consent kind, which multi-select records the providers that
consent covers (`consent.providers`); a role names the kind of provider it is
(`provider`) and may read a form section only where the survivor consented
(`read_if_consented:KIND`); an agency names the kind(s) of provider it is (`provider`),
for referrals sent to the agency rather than to one of its members. These checks make
sure each piece names something real, so that a slip never silently widens or closes
access.
"""

from __future__ import annotations

from ..parsed import Item
from ..schema import CONSENTED_PREFIX, PolicySpec, RoleSpec
from .context import Context, did_you_mean, listed


def check_consent_access(ctx: Context) -> None:
    policies = {item.spec.module: item for item in ctx.parsed.policies}
    provider_options: dict[tuple[str, str], list[str] | None] = {}
    for item in policies.values():
        for kind, options in _check_providers(ctx, item).items():
            provider_options[(item.spec.module, kind)] = options
    for item in ctx.parsed.roles:
        _check_role(ctx, item, policies, provider_options)
    _check_agencies(ctx, provider_options)


def _check_agencies(ctx: Context, provider_options: dict[tuple[str, str], list[str] | None]) -> None:
    """An agency's `provider` kinds must be options of a policy's providers fields."""
    if any(options is None for options in provider_options.values()):
        return  # a broken providers field is reported above; its options are unknown
    kinds = sorted({kind for options in provider_options.values() for kind in options or []})
    for item in ctx.parsed.agencies:
        spec = item.spec
        for i, kind in enumerate(spec.providers):
            if kind in kinds:
                continue
            keys: tuple[str | int, ...] = ("provider",) if isinstance(spec.provider, str) \
                else ("provider", i)
            known = f"options: {listed(kinds)}" if kinds else \
                "no policy records consent per provider (consent.providers)"
            ctx.error(item, f"agency '{spec.id}': unknown provider type '{kind}' ({known})"
                      f"{did_you_mean(kind, kinds)}", *keys, code="unknown-provider")


def _check_providers(ctx: Context, item: Item[PolicySpec]) -> dict[str, list[str] | None]:
    """Check `consent.providers`; return kind -> the provider options of its field."""
    spec = item.spec
    what = f"policy '{spec.module}'"
    found: dict[str, list[str] | None] = {}
    for kind, field_id in spec.consent.providers.items():
        keys = ("consent", "providers", kind)
        if kind not in spec.consent.fields and not item.was_dropped("consent", "fields", kind):
            ctx.error(item, f"{what}: providers for consent '{kind}', which has no field in consent.fields"
                      f"{did_you_mean(kind, spec.consent.fields)}", *keys, code="consent-without-field")
            continue
        ref = ctx.field(spec.module, field_id)
        if ref is None:
            if ctx.field_unknown(spec.module, field_id):
                ctx.error(item, f"{what}: providers field '{field_id}' does not exist in module "
                          f"'{spec.module}'{did_you_mean(field_id, ctx.fields.get(spec.module, {}))}",
                          *keys, code="bad-consent-field")
            found[kind] = None
            continue
        if ref.spec.type != "multi_select" or ref.spec.lookup is None:
            ctx.error(item, f"{what}: providers field '{field_id}' must be a multi_select with a lookup "
                      f"(the providers the survivor agreed to), not a {ref.spec.type}",
                      *keys, code="bad-consent-field")
            found[kind] = None
            continue
        ctx.used_lookups.add(ref.spec.lookup)
        found[kind] = ctx.lookup_options(ref.spec.lookup)
    return found


def _check_role(ctx: Context, item: Item[RoleSpec], policies: dict[str, Item[PolicySpec]],
                provider_options: dict[tuple[str, str], list[str] | None]) -> None:
    spec = item.spec
    what = f"role '{spec.id}'"
    for section_id, access in spec.forms.items():
        if not access.startswith(CONSENTED_PREFIX):
            continue
        keys = ("forms", section_id)
        kind = access[len(CONSENTED_PREFIX):]
        if section_id == "*":
            ctx.error(item, f"{what}: '{access}' must name a form section, not '*'", *keys,
                      code="consented-access-everywhere")
            continue
        section = ctx.sections.get(section_id)
        if section is None:
            continue  # unknown sections are reported with the role's other references
        module = section.spec.module
        policy = policies.get(module)
        if policy is None:
            continue  # a module without a policy is reported by the policy checks
        if spec.provider is None:
            ctx.error(item, f"{what}: form section '{section_id}' is '{access}' but the role has no "
                      f"'provider' (the kind of provider the survivor's consent must name)", *keys,
                      code="consented-access-without-provider")
        if kind not in policy.spec.consent.fields:
            ctx.error(item, f"{what}: '{access}': policy '{module}' has no consent kind '{kind}' "
                      f"(consent kinds: {listed(policy.spec.consent.fields) or 'none'})"
                      f"{did_you_mean(kind, policy.spec.consent.fields)}", *keys,
                      code="unknown-consent-kind")
            continue
        options = provider_options.get((module, kind))
        if spec.provider is not None and options is not None and spec.provider not in options:
            ctx.error(item, f"{what}: provider '{spec.provider}' is not an option of the providers "
                      f"field of consent '{kind}' in policy '{module}' (options: {listed(options)})"
                      f"{did_you_mean(spec.provider, options)}", "provider",
                      code="unknown-provider")
