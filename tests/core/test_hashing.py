"""Salted hashes keep their values: stored hashes and rate-limit counters from before still match."""

from __future__ import annotations

import hashlib

from django.conf import settings

from masthead.core.clientip import hash_ip
from masthead.core.hashing import hash_email


def _as_before(value: str) -> str:
    key = settings.SECRET_KEY.encode()[:64]
    return hashlib.blake2b(value.encode(), key=key, digest_size=16).hexdigest()


def test_addresses_and_emails_hash_to_the_values_stored_before() -> None:
    assert hash_ip("203.0.113.7") == _as_before("203.0.113.7")
    assert hash_email("Ada@Example.ORG") == _as_before("ada@example.org")
