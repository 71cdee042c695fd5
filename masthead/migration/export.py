"""`masthead export OUT.json[.gz]`: a site's discussion and funding as one JSON-lines document.

The schema is docs/export.md (format "masthead-export", `VERSION`). One header line, then one
object per line, each with its "type", in this order: readers, addresses, threads (each followed by
its comments and subscriptions), campaigns (each followed by its donations with their ledger).
Everything is named by stable keys — a thread by its URL, a comment by the export's own id ("c1",
"c2", ... in document order), a reader by username, a campaign by slug, a donation by the export's
own id ("d1", ...) — never by a database id, so export → import → export gives the same document
apart from `exported_at`.

The document is streamed: comments, votes and donations are read in chunks and written as they come,
so memory depends on the largest thread, not on the site. It is written to a temporary file beside
the target and renamed at the end: a failed export leaves no half file. The reads run in one
transaction (repeatable read on PostgreSQL), so a live site yields a consistent snapshot.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from itertools import islice
from pathlib import Path
from typing import IO, Any, TypeVar

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from masthead.core.canonical_url import canonical_url_or_none
from masthead.core.hashing import salted_hash

FORMAT = "masthead-export"
VERSION = 1
CHUNK = 1000
# Guest voters the import restores keep this key, so a re-export gives back the same hash.
IMPORTED_GUEST_PREFIX = "guest:import-"
T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (itertools.batched from Python 3.12)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def when(moment: dt.datetime | None) -> str | None:
    """A timestamp as the document writes it: ISO 8601 in UTC, microseconds kept."""
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).isoformat()


def voter_id(voter_key: str, readers: dict[int, str]) -> str:
    """A vote's voter in the document: "reader:<username>" for an exported reader, otherwise
    "guest:<hash>" — a keyed hash of the browser's key (the key itself lets whoever holds it act as
    that guest, so it never leaves the site); a guest restored by an import keeps its hash."""
    if voter_key.startswith("user:"):
        with suppress(ValueError):
            username = readers.get(int(voter_key[5:]))
            if username is not None:
                return f"reader:{username}"
    if voter_key.startswith(IMPORTED_GUEST_PREFIX):
        return f"guest:{voter_key[len(IMPORTED_GUEST_PREFIX) :]}"
    return f"guest:{salted_hash(voter_key)}"


def _site() -> dict[str, str]:
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is None:
        return {"name": "", "url": ""}
    return {"name": site.site_name or "", "url": site.root_url}


# --- readers and addresses ----------------------------------------------------------------------


def _referenced_user_ids() -> set[int]:
    """Accounts the discussion names: authors, voters, owners of notification addresses."""
    from masthead.discussion.models import Comment, Vote
    from masthead.notifications.models import EmailAddress

    ids: set[int] = set(
        Comment.objects.filter(user__isnull=False).values_list("user_id", flat=True).distinct()
    )
    ids.update(
        EmailAddress.objects.filter(user__isnull=False).values_list("user_id", flat=True).distinct()
    )
    for key in (
        Vote.objects.filter(voter_key__startswith="user:")
        .values_list("voter_key", flat=True)
        .distinct()
        .iterator(chunk_size=CHUNK)
    ):
        with suppress(ValueError):
            ids.add(int(key[5:]))
    return ids


def reader_lines(readers: dict[int, str]) -> Iterator[dict[str, Any]]:
    """One line per account the discussion names (fills `readers`: user id → username)."""
    from allauth.account.models import EmailAddress as AccountAddress

    wanted = _referenced_user_ids()
    User = get_user_model()
    rows = User.objects.order_by("username").values_list(
        "pk", "username", "display_name", "email", "date_joined"
    )
    for chunk in batched(rows.iterator(chunk_size=CHUNK), CHUNK):
        mine = [row for row in chunk if row[0] in wanted]
        verified = {
            (user_id, address.lower())
            for user_id, address in AccountAddress.objects.filter(
                user_id__in=[row[0] for row in mine], verified=True
            ).values_list("user_id", "email")
        }
        for pk, username, display_name, email, joined in mine:
            readers[pk] = username
            yield {
                "type": "reader",
                "key": username,
                "name": display_name,
                "email": email,
                "verified": bool(email) and (pk, email.lower()) in verified,
                "joined": when(joined),
            }


def address_lines(readers: dict[int, str]) -> Iterator[dict[str, Any]]:
    """The notification addresses: confirmed, opted out (never mailed again) or refused by their
    mail server. They move with the site, or a reader who unsubscribed would be mailed again."""
    from masthead.notifications.models import EmailAddress

    for address in EmailAddress.objects.order_by("email").iterator(chunk_size=CHUNK):
        yield {
            "type": "address",
            "email": address.email,
            "reader": readers.get(address.user_id) if address.user_id else None,
            "confirmed": when(address.confirmed_at),
            "opted_out": when(address.opted_out_at),
            "failed": when(address.failed_at),
            "failure": address.failure,
            "created_at": when(address.created_at),
        }


# --- threads --------------------------------------------------------------------------------------


def _threads() -> tuple[list[tuple[str, int, str, str | None]], int]:
    """Threads with anything in them (a comment, a subscription, a closure), by URL; and how many
    could not be named by a URL (a page outside every site)."""
    from django.db.models import Exists, OuterRef, Q

    from masthead.discussion.models import Comment, Thread
    from masthead.notifications.models import Subscription

    threads = (
        Thread.objects.annotate(
            has_comments=Exists(Comment.objects.filter(thread=OuterRef("pk"))),
            has_subscriptions=Exists(Subscription.objects.filter(thread=OuterRef("pk"))),
        )
        .filter(Q(has_comments=True) | Q(has_subscriptions=True) | Q(is_closed=True))
        .select_related("page")
    )
    found: list[tuple[str, int, str, str | None]] = []
    unnamed = 0
    for thread in threads.iterator(chunk_size=CHUNK):
        if thread.page is None:
            found.append((thread.url, thread.pk, thread.title, None))
            continue
        parts = thread.page.get_url_parts()
        url = canonical_url_or_none(f"{parts[1]}{parts[2]}") if parts and parts[1] else None
        if url is None:
            unnamed += 1
            continue
        found.append((url, thread.pk, thread.page.title, parts[2] if parts else None))
    found.sort()
    return found, unnamed


def _comment_line(
    comment: Any, thread_url: str, ids: dict[int, str], readers: dict[int, str], votes: list[Any]
) -> dict[str, Any]:
    return {
        "type": "comment",
        "thread": thread_url,
        "id": ids[comment.pk],
        "parent": ids.get(comment.parent_id) if comment.parent_id else None,
        "status": comment.status,
        "reader": readers.get(comment.user_id) if comment.user_id else None,
        "author_name": comment.author_name,
        "author_email": comment.author_email,
        "author_website": comment.author_website,
        "body": comment.body,
        "html": comment.html,
        "created_at": when(comment.created_at),
        "edited_at": when(comment.edited_at),
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
        "votes": sorted([voter_id(key, readers), value] for key, value in votes),
        "pinned": comment.is_pinned,
        "target": comment.target,
        "anchor_state": comment.anchor_state,
        "moderation": comment.moderation or {},
    }


def thread_lines(
    readers: dict[int, str], counts: Counter[str], next_comment: list[int]
) -> Iterator[dict[str, Any]]:
    from masthead.discussion.models import Comment, Thread, Vote
    from masthead.notifications.models import Subscription

    threads, unnamed = _threads()
    counts["thread left out: its page is in no site"] += unnamed
    for url, pk, title, path in threads:
        closed = Thread.objects.filter(pk=pk).values_list("is_closed", flat=True).first()
        yield {
            "type": "thread",
            "url": url,
            "title": title,
            "closed": bool(closed),
            "article": {"path": path} if path is not None else None,
        }
        # A comment's id is its place in the document; its parent may come later (imported dates
        # can put a reply first), so the thread's ids are all known before any line is written.
        order = Comment.objects.filter(thread_id=pk).order_by("created_at", "depth", "id")
        pks = list(order.values_list("id", flat=True))
        ids = {comment_pk: f"c{next_comment[0] + n}" for n, comment_pk in enumerate(pks, 1)}
        next_comment[0] += len(pks)
        for chunk in batched(pks, CHUNK):
            votes: dict[int, list[tuple[str, int]]] = {}
            for comment_id, key, value in Vote.objects.filter(comment_id__in=chunk).values_list(
                "comment_id", "voter_key", "value"
            ):
                votes.setdefault(comment_id, []).append((key, value))
            for comment in order.filter(pk__in=chunk):
                yield _comment_line(comment, url, ids, readers, votes.get(comment.pk, []))
        subscriptions = [
            {
                "type": "subscription",
                "thread": url,
                "email": subscription.address.email,
                "kind": subscription.kind,
                "comment": ids.get(subscription.comment_id) if subscription.comment_id else None,
                "confirmed": subscription.confirmed_at is not None,
                "created_at": when(subscription.created_at),
            }
            for subscription in Subscription.objects.filter(thread_id=pk).select_related("address")
        ]
        subscriptions.sort(key=lambda line: (line["email"], line["comment"] or ""))
        yield from subscriptions


# --- funding ----------------------------------------------------------------------------------------

CAMPAIGN_FIELDS = (
    "title",
    "pitch",
    "currency",
    "goal",
    "baseline",
    "active",
    "preset_amounts",
    "minimum_amount",
    "maximum_amount",
    "monthly_enabled",
    "thank_you_text",
    "donor_wall",
    "other_ways_text",
    "other_ways_url",
)
DONATION_FIELDS = (
    "method",
    "interval",
    "amount",
    "currency",
    "livemode",
    "status",
    "donor_name",
    "donor_email",
    "anonymous",
    "message",
    "source_url",
    "subscription_active",
    "note",
    # The provider's ids of its own objects (not secrets: useless without the account's key), so
    # refunds and disputes that arrive after the move still find their donation.
    "stripe_customer_id",
    "stripe_setup_intent_id",
    "stripe_payment_intent_id",
    "stripe_subscription_id",
)


def _page_url(page: Any) -> str | None:
    if page is None:
        return None
    parts = page.get_url_parts()
    return canonical_url_or_none(f"{parts[1]}{parts[2]}") if parts and parts[1] else None


def campaign_lines(next_donation: list[int]) -> Iterator[dict[str, Any]]:
    from masthead.funding.models import Campaign, Donation, LedgerEntry

    for campaign in Campaign.objects.order_by("slug").iterator(chunk_size=CHUNK):
        line: dict[str, Any] = {"type": "campaign", "slug": campaign.slug}
        line.update({name: getattr(campaign, name) for name in CAMPAIGN_FIELDS})
        line["starts_at"] = when(campaign.starts_at)
        line["ends_at"] = when(campaign.ends_at)
        line["created_at"] = when(campaign.created_at)
        yield line
        donations = (
            Donation.objects.filter(campaign=campaign)
            .order_by("created_at", "id")
            .select_related("source_page")
        )
        for chunk in batched(donations.iterator(chunk_size=CHUNK), CHUNK):
            ledger: dict[int, list[dict[str, Any]]] = {}
            entries = LedgerEntry.objects.filter(donation_id__in=[d.pk for d in chunk]).order_by(
                "occurred_at", "provider", "object_id"
            )
            for entry in entries:
                ledger.setdefault(entry.donation_id, []).append(
                    {
                        "kind": entry.kind,
                        "provider": entry.provider,
                        "object_id": entry.object_id,
                        "charge_id": entry.charge_id,
                        "amount": entry.amount,
                        "currency": entry.currency,
                        "livemode": entry.livemode,
                        "occurred_at": when(entry.occurred_at),
                    }
                )
            for donation in chunk:
                next_donation[0] += 1
                item: dict[str, Any] = {
                    "type": "donation",
                    "campaign": campaign.slug,
                    "id": f"d{next_donation[0]}",
                }
                item.update({name: getattr(donation, name) for name in DONATION_FIELDS})
                for name in ("stripe_payment_intent_id", "stripe_subscription_id"):
                    item[name] = item[name] or ""  # NULL (unique when set) and "" are one here
                item["source_page"] = _page_url(donation.source_page)
                item["canceled_at"] = when(donation.canceled_at)
                item["erased_at"] = when(donation.erased_at)
                item["created_at"] = when(donation.created_at)
                item["ledger"] = ledger.get(donation.pk, [])
                yield item


# --- the document ---------------------------------------------------------------------------------


def document_lines(
    exported_at: dt.datetime | None = None, counts: Counter[str] | None = None
) -> Iterator[dict[str, Any]]:
    """The document, line by line (the header first). `counts` gets the lines per type."""
    counts = counts if counts is not None else Counter()
    yield {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": when(exported_at or timezone.now()),
        "site": _site(),
    }
    readers: dict[int, str] = {}
    sections: Sequence[Iterable[dict[str, Any]]] = (
        reader_lines(readers),
        address_lines(readers),
        thread_lines(readers, counts, [0]),
        campaign_lines([0]),
    )
    for section in sections:
        for line in section:
            counts[line["type"]] += 1
            yield line


def encode_line(line: dict[str, Any]) -> bytes:
    try:
        text = json.dumps(line, ensure_ascii=False, separators=(",", ":"))
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (from an old import) is not UTF-8: written as a JSON escape instead.
        return (json.dumps(line, separators=(",", ":")) + "\n").encode("ascii")


def _read_snapshot() -> None:
    """Every query of the export sees the same moment of a live site."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def export_site(
    path: str | os.PathLike[str], exported_at: dt.datetime | None = None
) -> Counter[str]:
    """Write the document to `path` (gzip when it ends in .gz); returns the lines per type.

    Written to a temporary file in the same directory and renamed over `path` at the end: on any
    failure the temporary file is removed and `path` is left as it was.
    """
    target = Path(path)
    counts: Counter[str] = Counter()
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".part"
    )
    os.close(handle)
    try:
        with open(temporary, "wb") as raw:
            out: IO[bytes] | gzip.GzipFile = (
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0)
                if target.name.endswith(".gz")
                else raw
            )
            outermost = not connection.in_atomic_block
            with transaction.atomic():
                if outermost:  # inside a caller's transaction, its snapshot is the one read
                    _read_snapshot()
                for line in document_lines(exported_at, counts):
                    out.write(encode_line(line))
            if out is not raw:
                out.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(temporary, 0o600)  # personal data: the owner's alone, like the database
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
    return counts
