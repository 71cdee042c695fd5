"""Turns the records a source reads (`records.SourceThread`) into Masthead's rows.

The writer is the import's one writer of domain rows, on a bulk path that keeps the discussion's
invariants the actions keep (tree fields `parent`/`root`/`depth`, counters, versions, cache bumps on
commit) without what belongs to a reader posting live (no moderation checks, no notification
emails, no rate limits). Each thread is one transaction: a failure leaves nothing of that thread,
and a re-run writes it whole.

Every written row gets an `ImportedObject` (source key, kind, source id, fingerprint of what was
read): a re-run finds its rows there, updates the ones whose fingerprint changed and leaves the rest
alone, so nothing is written twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from masthead.core import cache_versions
from masthead.core.canonical_url import canonical_url_or_none
from masthead.core.clientip import hash_ip
from masthead.core.hashing import salted_hash
from masthead.discussion.models import AnchorState, Comment, CommentStatus, Thread, Vote

from .bulk_insert import insert_rows, insert_values, new_row
from .cleaning import as_utc, clean_email, clean_text, clean_website, fingerprint, fit_id, html_of
from .models import ImportedObject
from .records import ImportedStatus, Skip, SourceComment, SourceThread
from .sources import ImportNotes
from .writer_people import WriterRows

NO_ARTICLE = "no article at URL (--create-stubs keeps it as an external-URL thread)"
PARENT_MISSING = "parent missing: kept as top-level, flagged"
PARENT_LOOP = "parent loop: kept as top-level, flagged"
BATCH = 500
STATUSES = {
    ImportedStatus.APPROVED: CommentStatus.APPROVED,
    ImportedStatus.PENDING: CommentStatus.PENDING,
    ImportedStatus.SPAM: CommentStatus.SPAM,
    ImportedStatus.REMOVED: CommentStatus.REMOVED,
    # The site's placeholder: "[deleted]" in place, its replies still readable.
    ImportedStatus.DELETED: CommentStatus.DELETED,
}
IMPORTED_FIELDS = [
    "source",
    "kind",
    "source_id",
    "content_type_id",
    "object_id",
    "fingerprint",
    "imported_at",
]
COMMENT_FIELDS = [
    "parent",
    "root",
    "depth",
    "user",
    "author_name",
    "author_email",
    "author_website",
    "ip_hash",
    "body",
    "html",
    "status",
    "created_at",
    "edited_at",
    "upvotes",
    "downvotes",
    "score",
    "is_pinned",
    "moderation",
    "target",
    "anchor_state",
]


class ImportWriter(WriterRows):
    """Writes one `SourceThread` at a time (`write`); keeps the report's counts as it goes.

    `create_stubs`: a thread whose URL names no article becomes an external-URL thread instead of a
    reported skip. `site_hosts`: host names whose URLs are this site's (its old address), so a path
    that an article or one of Wagtail's redirects answers is that article. `with_pingbacks`: keep
    pingbacks and trackbacks (as comments flagged with their kind) instead of skipping them.
    """

    def __init__(
        self,
        source_key: str,
        notes: ImportNotes,
        *,
        create_stubs: bool = False,
        site_hosts: Iterable[str] = (),
        with_pingbacks: bool = False,
    ) -> None:
        self.source = source_key[:40]
        self.notes = notes
        self.create_stubs = create_stubs
        self.with_pingbacks = with_pingbacks
        self.extra_hosts = {host.lower().strip() for host in site_hosts if host.strip()}
        self._articles: tuple[dict[str, int], dict[str, int], set[str]] | None = None
        self._types: dict[type[models.Model], ContentType] = {}
        self._users_seen: set[str] = set()  # each account counted once per run, not per thread

    # --- threads -----------------------------------------------------------------------------

    def write(self, record: SourceThread) -> Thread | None:
        """Write one thread with its comments, votes and subscriptions, in one transaction."""
        with transaction.atomic():
            return self._write(record)

    def _article_index(self) -> tuple[dict[str, int], dict[str, int], set[str]]:
        """Live articles by canonical full URL and by path, and this site's host names."""
        if self._articles is None:
            from wagtail.models import Site

            from masthead.publishing.models import ArticlePage

            by_url: dict[str, int] = {}
            by_path: dict[str, int] = {}
            for page in ArticlePage.objects.live().only("id", "url_path", "path", "depth"):
                parts = page.get_url_parts()
                if parts is None:
                    continue
                _site, root_url, path = parts
                by_path[path] = page.pk
                full = canonical_url_or_none(f"{root_url}{path}") if root_url else None
                if full:
                    by_url[full] = page.pk
            hosts = set(self.extra_hosts)
            hosts.update(site.hostname.lower() for site in Site.objects.all())
            self._articles = (by_url, by_path, hosts)
        return self._articles

    def find_article(self, url: str) -> int | None:
        """The page id of the live article whose full URL is `url` (canonical); on one of the
        site's hosts, also the article at that path or that a redirect for that path leads to."""
        by_url, by_path, hosts = self._article_index()
        if url in by_url:
            return by_url[url]
        parts = urlsplit(url)
        if (parts.hostname or "") not in hosts:
            return None
        if parts.path in by_path:
            return by_path[parts.path]
        from wagtail.contrib.redirects.models import Redirect

        from masthead.publishing.models import ArticlePage

        old_path = Redirect.normalise_path(url)
        redirect = (
            Redirect.objects.filter(old_path=old_path, redirect_page__isnull=False)
            .values_list("redirect_page_id", flat=True)
            .first()
        )
        if redirect is not None and ArticlePage.objects.live().filter(pk=redirect).exists():
            return int(redirect)
        return None

    def _resolve_thread(
        self, record: SourceThread, known: ImportedObject | None
    ) -> tuple[Thread | None, bool]:
        """The thread `record` goes into (None: reported skip), and whether it was created;
        `known` is the thread's source-id row from an earlier run."""
        if known is not None:
            thread = Thread.objects.filter(pk=known.object_id).first()
            if thread is not None:
                return thread, False
        if record.page_id is not None:
            thread, created = Thread.objects.get_or_create(page_id=record.page_id)
            return thread, created
        canonical = canonical_url_or_none(record.url)
        if canonical is None:
            self.notes.skip(Skip("thread", record.source_id, "thread URL is not an http(s) URL"))
            return None, False
        page_id = self.find_article(canonical)
        if page_id is not None:
            thread, created = Thread.objects.get_or_create(page_id=page_id)
            return thread, created
        thread = Thread.objects.filter(url=canonical).first()
        if thread is not None:
            return thread, False
        if not self.create_stubs:
            self.notes.skip(Skip("thread", canonical, NO_ARTICLE))
            return None, False
        title = clean_text(record.title).strip()[:255]
        return Thread.objects.create(url=canonical, title=title), True

    def _write(self, record: SourceThread) -> Thread | None:
        known = self._imported("thread", [record.source_id]).get(record.source_id)
        thread, created = self._resolve_thread(record, known)
        if thread is None:
            self.notes.count("thread", "skipped")
            self.notes.count("comment", "skipped", len(record.comments))
            return None
        thread_print = fingerprint(
            {"url": record.url, "title": record.title, "closed": record.closed}
        )
        changed = self._write_comments(thread, record)
        self._write_subscriptions(thread, record)
        thread_changed = known is None or known.fingerprint != thread_print
        updates: dict[str, Any] = {
            "comment_count": Comment.objects.filter(
                thread=thread, status=CommentStatus.APPROVED
            ).count(),
            "is_closed": record.closed,
        }
        if record.title and thread.page_id is None and not thread.title:
            updates["title"] = clean_text(record.title).strip()[:255]
        if created and record.created_at is not None:
            updates["created_at"] = as_utc(record.created_at)
        if changed or thread_changed or created:
            updates["version"] = F("version") + 1
        Thread.objects.filter(pk=thread.pk).update(**updates)
        if changed or thread_changed or created:
            cache_versions.bump("thread", thread.version_key)
        if known is None:
            ImportedObject.objects.create(
                source=self.source,
                kind="thread",
                source_id=record.source_id,
                content_type=self._content_type(Thread),
                object_id=str(thread.pk),
                fingerprint=thread_print,
            )
            self.notes.count("thread", "imported")
        elif thread_changed or changed:
            ImportedObject.objects.filter(pk=known.pk).update(
                fingerprint=thread_print, object_id=str(thread.pk), imported_at=timezone.now()
            )
            self.notes.count("thread", "updated")
        else:
            self.notes.count("thread", "unchanged")
        return thread

    def _kept(self, record: SourceThread) -> list[SourceComment]:
        seen: set[str] = set()
        kept: list[SourceComment] = []
        for comment in record.comments:
            if comment.source_id in seen:
                self.notes.skip(Skip("comment", comment.source_id, "duplicate id: first one kept"))
                self.notes.count("comment", "skipped")
                continue
            if comment.kind != "comment" and not self.with_pingbacks:
                self.notes.skip(
                    Skip(comment.kind, comment.source_id, f"{comment.kind}: not a reader comment")
                )
                self.notes.count(comment.kind, "skipped")
                continue
            seen.add(comment.source_id)
            kept.append(comment)
        return kept

    def _tree(
        self, thread: Thread, comments: list[SourceComment]
    ) -> tuple[dict[str, str | None], dict[str, Comment], dict[str, str]]:
        """Parents within the batch, parents already written (an earlier batch of this thread), and
        the flag of each comment whose parent had to be dropped."""
        by_id = {c.source_id: c for c in comments}
        parent_of: dict[str, str | None] = {}
        outside: dict[str, Comment] = {}
        flags: dict[str, str] = {}
        asked = {c.parent_id for c in comments if c.parent_id and c.parent_id not in by_id} - {
            "0",
            "",
        }
        earlier = self._imported("comment", asked)
        earlier_rows = Comment.objects.filter(
            thread=thread, pk__in=[int(row.object_id) for row in earlier.values()]
        ).only("id", "root_id", "depth")
        earlier_by_pk = {c.pk: c for c in earlier_rows}
        for comment in comments:
            parent = comment.parent_id if comment.parent_id not in (None, "", "0") else None
            parent_of[comment.source_id] = None
            if parent is None:
                continue
            if parent in by_id:
                parent_of[comment.source_id] = parent
            elif parent in earlier and int(earlier[parent].object_id) in earlier_by_pk:
                outside[comment.source_id] = earlier_by_pk[int(earlier[parent].object_id)]
            else:
                flags[comment.source_id] = PARENT_MISSING
        # Loops: follow each chain; a comment met twice on one walk closes a loop, cut there.
        state: dict[str, int] = {}
        for start in parent_of:
            path: list[str] = []
            node: str | None = start
            while node is not None and state.get(node) != 2:
                if state.get(node) == 1:
                    cut = path[-1]
                    parent_of[cut] = None
                    flags[cut] = PARENT_LOOP
                    break
                state[node] = 1
                path.append(node)
                node = parent_of[node]
            for visited in path:
                state[visited] = 2
        return parent_of, outside, flags

    def _write_comments(self, thread: Thread, record: SourceThread) -> bool:
        comments = self._kept(record)
        if not comments:
            return False
        parent_of, outside, flags = self._tree(thread, comments)
        for source_id, reason in flags.items():
            self.notes.skip(Skip("comment", source_id, reason))
        users = self._users(record, comments)
        known = self._imported("comment", parent_of)
        rows = Comment.objects.in_bulk([int(row.object_id) for row in known.values()])
        depth: dict[str, int] = {}

        def depth_of(source_id: str) -> int:
            chain: list[str] = []
            node: str | None = source_id
            while node is not None and node not in depth:
                chain.append(node)
                node = parent_of[node]
            base = depth[node] if node is not None else -1
            for item in reversed(chain):
                if parent_of[item] is None:
                    base = outside[item].depth if item in outside else -1
                base += 1
                depth[item] = base
            return depth[source_id]

        for comment in comments:
            depth_of(comment.source_id)
        ordered = sorted(comments, key=lambda c: depth[c.source_id])
        pk_of: dict[str, int] = {}
        root_of: dict[str, int | None] = {}
        changed = False
        new_rows: list[tuple[SourceComment, Any]] = []
        updated_rows: list[tuple[SourceComment, Comment]] = []
        prints: dict[str, str] = {}
        level = 0

        def flush() -> None:
            nonlocal new_rows, updated_rows
            if new_rows:
                insert_rows(Comment, [row for _, row in new_rows])
                for comment, row in new_rows:
                    pk_of[comment.source_id] = row.pk
            if updated_rows:
                Comment.objects.bulk_update(
                    [row for _, row in updated_rows], COMMENT_FIELDS, batch_size=BATCH
                )
            new_rows, updated_rows = [], []

        for comment in ordered:
            if depth[comment.source_id] != level:
                flush()  # parents are written before their replies need their ids
                level = depth[comment.source_id]
            parent_sid = parent_of[comment.source_id]
            parent_pk = (
                pk_of[parent_sid]
                if parent_sid is not None
                else (outside[comment.source_id].pk if comment.source_id in outside else None)
            )
            root_pk = None
            if parent_sid is not None:
                root_pk = root_of[parent_sid] or pk_of[parent_sid]
            elif comment.source_id in outside:
                parent = outside[comment.source_id]
                root_pk = parent.root_id or parent.pk
            root_of[comment.source_id] = root_pk
            print_ = fingerprint(comment)
            if comment.source_id in flags:  # a flag given is part of what was written
                print_ = hashlib.sha256((print_ + flags[comment.source_id]).encode()).hexdigest()
            prints[comment.source_id] = print_
            row_ref = known.get(comment.source_id)
            existing = rows.get(int(row_ref.object_id)) if row_ref is not None else None
            if existing is not None and existing.thread_id != thread.pk:
                existing = None
            if existing is not None and row_ref is not None and row_ref.fingerprint == print_:
                pk_of[comment.source_id] = existing.pk
                root_of[comment.source_id] = existing.root_id
                self.notes.count(comment.kind, "unchanged")
                continue
            changed = True
            row: Any = existing if existing is not None else new_row(Comment, thread_id=thread.pk)
            self._fill(row, comment, users, flags.get(comment.source_id, ""))
            row.parent_id = parent_pk
            row.root_id = root_pk
            row.depth = depth[comment.source_id]
            if existing is not None:
                pk_of[comment.source_id] = existing.pk
                updated_rows.append((comment, row))
                self.notes.count(comment.kind, "updated")
            else:
                new_rows.append((comment, row))
                self.notes.count(comment.kind, "imported")
        flush()
        self._record_comments(comments, known, pk_of, prints)
        if changed:
            self._write_votes(comments, known, prints, pk_of, users)
            Comment.objects.filter(thread=thread).update(
                reply_count=Coalesce(
                    Subquery(
                        Comment.objects.filter(parent=OuterRef("pk"), status=CommentStatus.APPROVED)
                        .order_by()
                        .values("parent")
                        .annotate(n=Count("pk"))
                        .values("n")[:1]
                    ),
                    0,
                )
            )
        return changed

    def _fill(self, row: Any, comment: SourceComment, users: dict[str, int], flag: str) -> None:
        row.user_id = users.get(comment.user_id) if comment.user_id else None
        row.author_name = clean_text(comment.author_name).strip()[:50] or "Anonymous"
        row.author_email = clean_email(comment.author_email)
        row.author_website = clean_website(comment.author_website)
        row.ip_hash = hash_ip(comment.author_ip.strip()) if comment.author_ip.strip() else ""
        row.body = clean_text(comment.body)
        row.html = clean_text(html_of(comment))
        row.status = STATUSES.get(ImportedStatus(comment.status), CommentStatus.PENDING)
        row.created_at = as_utc(comment.created_at) or timezone.now()
        row.edited_at = as_utc(comment.edited_at)
        per_voter = dict(comment.votes)  # one vote per reader: the last one read counts
        ups = sum(1 for value in per_voter.values() if value > 0)
        downs = sum(1 for value in per_voter.values() if value < 0)
        row.upvotes = max(comment.upvotes, ups, 0)
        row.downvotes = max(comment.downvotes, downs, 0)
        row.score = row.upvotes - row.downvotes
        row.is_pinned = comment.is_pinned
        target = comment.extra.get("inline_target")
        if isinstance(target, dict):  # an answer to an editor prompt (WordPress --db)
            row.target = target
            row.anchor_state = AnchorState.ANCHORED
        moderation: dict[str, Any] = {"rule": "import", "source": self.source}
        if flag:
            moderation["reason"] = flag
        if comment.kind != "comment":
            moderation["kind"] = comment.kind
        row.moderation = moderation

    def _record_comments(
        self,
        comments: list[SourceComment],
        known: dict[str, ImportedObject],
        pk_of: dict[str, int],
        prints: dict[str, str],
    ) -> None:
        content_type = self._content_type(Comment)
        now = timezone.now()
        fresh: list[tuple[Any, ...]] = []
        stale: list[ImportedObject] = []
        for comment in comments:
            sid = comment.source_id
            row = known.get(sid)
            if row is None:
                fresh.append(
                    (self.source, "comment", sid, content_type.pk, str(pk_of[sid]), prints[sid], now)
                )
            elif row.fingerprint != prints[sid] or row.object_id != str(pk_of[sid]):
                row.fingerprint = prints[sid]
                row.object_id = str(pk_of[sid])
                row.imported_at = timezone.now()
                stale.append(row)
        insert_values(ImportedObject, IMPORTED_FIELDS, fresh)
        ImportedObject.objects.bulk_update(
            stale, ["fingerprint", "object_id", "imported_at"], batch_size=BATCH
        )

    def _voter_key(self, voter: str, users: dict[str, int]) -> str:
        if voter in users:
            return f"user:{users[voter]}"
        # A reader of the source without an account here: a key no browser holds.
        return f"guest:import-{salted_hash(f'{self.source}:{voter}')}"

    def _write_votes(
        self,
        comments: list[SourceComment],
        known: dict[str, ImportedObject],
        prints: dict[str, str],
        pk_of: dict[str, int],
        users: dict[str, int],
    ) -> None:
        votes: dict[tuple[int, str], Vote] = {}
        source_ids: dict[tuple[int, str], str] = {}
        for comment in comments:
            row = known.get(comment.source_id)
            if not comment.votes or (
                row is not None and row.fingerprint == prints[comment.source_id]
            ):
                continue
            for voter, value in comment.votes:
                key = (pk_of[comment.source_id], self._voter_key(voter, users))
                if key in votes:
                    self.notes.skip(
                        Skip(
                            "vote", f"{comment.source_id}/{voter}", "one vote per reader: last kept"
                        )
                    )
                votes[key] = Vote(
                    comment_id=key[0],
                    voter_key=key[1],
                    value=1 if value > 0 else -1,
                    created_at=as_utc(comment.created_at) or timezone.now(),
                )
                source_ids[key] = fit_id(f"{comment.source_id}/{voter}")
        if not votes:
            return
        ids = self._imported("vote", source_ids.values())
        Vote.objects.bulk_create(
            list(votes.values()),
            update_conflicts=True,
            unique_fields=["comment", "voter_key"],
            update_fields=["value"],
            batch_size=BATCH,
        )
        stored = {
            (vote.comment_id, vote.voter_key): vote.pk
            for vote in Vote.objects.filter(comment_id__in={key[0] for key in votes}).only(
                "id", "comment_id", "voter_key"
            )
        }
        content_type = self._content_type(Vote)
        fresh = [
            ImportedObject(
                source=self.source,
                kind="vote",
                source_id=sid,
                content_type=content_type,
                object_id=str(stored[key]),
                fingerprint=str(votes[key].value),
            )
            for key, sid in source_ids.items()
            if sid not in ids and key in stored
        ]
        ImportedObject.objects.bulk_create(fresh, batch_size=BATCH, ignore_conflicts=True)
        self.notes.count("vote", "imported", len(fresh))
        self.notes.count("vote", "updated", len(source_ids) - len(fresh))
