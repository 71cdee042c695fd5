"""Audit rows, written inside the caller's transaction so the record and the change commit together."""

from __future__ import annotations

from typing import Any

from django.db import models

from masthead.core.compiled import CompiledInsert
from masthead.core.models import AuditEntry

_INSERT = CompiledInsert(AuditEntry)  # every post writes one


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Write one audit row. `actor` may be None (the system) or an anonymous user (a reader)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = user.get_username() if user is not None else ("system" if actor is None else "reader")
    entry: AuditEntry = _INSERT.create(
        actor=user,
        actor_label=label,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before or {},
        after=after or {},
        note=note,
    )
    return entry
