"""The writer's rows about people: reader accounts (one per source user id) and subscriptions.

`WriterRows` also holds what every part of the writer shares: the ImportedObject look-up and the
content types. `writer.ImportWriter` builds on it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from masthead.core.hashing import salted_hash
from masthead.discussion.models import Thread

from .cleaning import as_utc, clean_email, clean_text, fingerprint, fit_id
from .models import ImportedObject
from .records import Skip, SourceComment, SourceThread, SourceUser
from .sources import ImportNotes

BATCH = 500


class WriterRows:
    source: str
    notes: ImportNotes
    _types: dict[type[models.Model], ContentType]
    _users_seen: set[str]

    def _content_type(self, model: type[models.Model]) -> ContentType:
        if model not in self._types:
            self._types[model] = ContentType.objects.get_for_model(model)
        return self._types[model]

    def _imported(self, kind: str, source_ids: Iterable[str]) -> dict[str, ImportedObject]:
        ids = list(dict.fromkeys(source_ids))
        found: dict[str, ImportedObject] = {}
        for start in range(0, len(ids), BATCH):
            for row in ImportedObject.objects.filter(
                source=self.source, kind=kind, source_id__in=ids[start : start + BATCH]
            ):
                found[row.source_id] = row
        return found

    # --- users -------------------------------------------------------------------------------

    def _users(self, record: SourceThread, comments: list[SourceComment]) -> dict[str, int]:
        """User pks of the accounts the comments name, created on first sight (one per source id)."""
        given = {user.source_id: user for user in record.users}
        wanted = {c.user_id for c in comments if c.user_id}
        # Readers who voted (where the source names voters by account): their votes are theirs.
        wanted.update(voter for c in comments for voter, _ in c.votes if voter in given)
        if not wanted:
            return {}
        for comment in comments:  # an account the source names only on its comments
            if comment.user_id and comment.user_id not in given:
                given[comment.user_id] = SourceUser(
                    source_id=comment.user_id,
                    name=comment.author_name,
                    email=comment.author_email,
                    website=comment.author_website,
                )
        known = self._imported("user", wanted)
        User = get_user_model()
        result: dict[str, int] = {}
        for source_id in sorted(wanted):
            user = given[source_id]
            print_ = fingerprint(user)
            row = known.get(source_id)
            name = clean_text(user.name).strip()[:50] or "reader"
            if row is not None and User.objects.filter(pk=row.object_id).exists():
                result[source_id] = int(row.object_id)
                if row.fingerprint != print_:
                    User.objects.filter(pk=row.object_id).update(display_name=name)
                    ImportedObject.objects.filter(pk=row.pk).update(fingerprint=print_)
                    self.notes.count("user", "updated")
                elif source_id not in self._users_seen:
                    self.notes.count("user", "unchanged")
                self._users_seen.add(source_id)
                continue
            digest = salted_hash(f"{self.source}:{source_id}")[:10]
            username = f"{slugify(name)[:40] or 'reader'}-{digest}"
            email = clean_email(user.email)
            if email and User.objects.filter(email__iexact=email).exists():
                email = ""  # never two accounts on one address; the older one keeps it
                self.notes.skip(
                    Skip("user", source_id, "email already belongs to an account: left empty")
                )
            account = User.objects.create(username=username, display_name=name, email=email)
            account.set_unusable_password()
            account.save(update_fields=["password"])
            if email and user.verified:
                from allauth.account.models import EmailAddress

                EmailAddress.objects.create(user=account, email=email, verified=True, primary=True)
            if row is not None:
                ImportedObject.objects.filter(pk=row.pk).update(
                    object_id=str(account.pk), fingerprint=print_
                )
            else:
                ImportedObject.objects.create(
                    source=self.source,
                    kind="user",
                    source_id=source_id,
                    content_type=self._content_type(User),
                    object_id=str(account.pk),
                    fingerprint=print_,
                )
            self.notes.count("user", "imported")
            self._users_seen.add(source_id)
            result[source_id] = account.pk
        return result

    # --- comments ----------------------------------------------------------------------------

    # --- subscriptions -----------------------------------------------------------------------

    def _write_subscriptions(self, thread: Thread, record: SourceThread) -> None:
        if not record.subscriptions:
            return
        from masthead.core.hashing import hash_email
        from masthead.notifications.models import EmailAddress, Subscription

        comment_ids = self._imported(
            "comment", [s.comment_id for s in record.subscriptions if s.comment_id]
        )
        for item in record.subscriptions:
            email = clean_email(item.email).lower()
            key = fit_id(f"{record.source_id}:{hash_email(email)}:{item.comment_id or ''}")
            if not email:
                self.notes.skip(Skip("subscription", key, "not an email address"))
                self.notes.count("subscription", "skipped")
                continue
            comment_pk = None
            if item.comment_id:
                row = comment_ids.get(item.comment_id)
                if row is None:
                    self.notes.skip(Skip("subscription", key, "its comment was not imported"))
                    self.notes.count("subscription", "skipped")
                    continue
                comment_pk = int(row.object_id)
            confirmed_at = (as_utc(item.created_at) or timezone.now()) if item.confirmed else None
            address, _ = EmailAddress.objects.get_or_create(email=email)
            if confirmed_at is not None and address.confirmed_at is None:
                EmailAddress.objects.filter(pk=address.pk).update(confirmed_at=confirmed_at)
            kind = "all" if item.kind == "all" else "replies"
            existing = (
                Subscription.objects.filter(address=address, thread=thread)
                .filter(models.Q(comment_id=comment_pk) if comment_pk else models.Q(comment=None))
                .first()
            )
            print_ = fingerprint(item)
            known = self._imported("subscription", [key]).get(key)
            if existing is None:
                existing = Subscription.objects.create(
                    address=address,
                    thread=thread,
                    comment_id=comment_pk,
                    kind=kind,
                    confirmed_at=confirmed_at,
                    created_at=as_utc(item.created_at) or timezone.now(),
                )
                outcome = "imported"
            elif known is not None and known.fingerprint == print_:
                self.notes.count("subscription", "unchanged")
                continue
            else:
                # A confirmation given here is never taken back by an import.
                Subscription.objects.filter(pk=existing.pk).update(
                    kind=kind, confirmed_at=existing.confirmed_at or confirmed_at
                )
                outcome = "updated"
            ImportedObject.objects.update_or_create(
                source=self.source,
                kind="subscription",
                source_id=key,
                defaults={
                    "content_type": self._content_type(Subscription),
                    "object_id": str(existing.pk),
                    "fingerprint": print_,
                },
            )
            self.notes.count("subscription", outcome)
