"""Salted hashes of personal identifiers (addresses, emails): the same value gives the same hash on
this site, and the value cannot be read back. Rate limits and bans count by them; raw values are not stored."""

from __future__ import annotations

import hashlib

from django.conf import settings


def salted_hash(value: str) -> str:
    """A 32-hex-digit BLAKE2b digest of `value`, keyed with the site's SECRET_KEY."""
    salt = settings.SECRET_KEY.encode()
    return hashlib.blake2b(value.encode(), key=salt[:64], digest_size=16).hexdigest()


def hash_email(email: str) -> str:
    """One email address, whatever its letter case (its local part is compared without case too)."""
    return salted_hash(email.lower())
