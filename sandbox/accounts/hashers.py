"""Password hashing at OWASP's recommended Argon2id parameters.

Django's own Argon2 hasher defaults to 100 MiB of memory and 8 lanes per hash; OWASP's
Password Storage Cheat Sheet recommends Argon2id with at least 19 MiB of memory, 2
iterations and 1 lane. That is as hard for an attacker with a GPU per guess, and it keeps a
workshop's sign-in storm and a 100-trainee import fast on a small server. Hashes made with
other parameters are still accepted and are upgraded at the next sign-in.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
