"""The concept vocabulary of portable scenarios, the mapping.yaml spec, and the resolver.

- `concepts`: every concept a scenario may name, with its meaning.
- `mapping`: the mapping.yaml format and `check_mapping` (PATH:LINE problems).
- `resolve`: `Resolver`, concept -> the bundle's id.
"""

from .concepts import APPROVAL_KINDS, CORE_FIELDS, VOCABULARY
from .mapping import MAPPING_KEYS, check_mapping
from .resolve import BundleIds, Resolver, unmapped

__all__ = ["APPROVAL_KINDS", "CORE_FIELDS", "MAPPING_KEYS", "VOCABULARY", "BundleIds", "Resolver",
           "check_mapping", "unmapped"]
