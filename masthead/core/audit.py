"""Audit rows, written inside the caller's transaction so the record and the change commit together."""

from __future__ import annotations

from typing import Any

from django.db import models

from masthead.core.actors import Actor
from masthead.core.compiled import CompiledInsert
from masthead.core.models import AuditEntry

_INSERT = CompiledInsert(AuditEntry)  # every post writes one


def record(
    actor: Actor,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    """Write one audit row: the signed-in user (and their username), else "reader" for a guest or
    "system" for `Actor.system()`. Nothing is read back (see `CompiledInsert.add`)."""
    _INSERT.add(
        actor=actor.user if actor.is_authenticated else None,
        actor_label=actor.get_username(),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before or {},
        after=after or {},
        note=note,
    )
