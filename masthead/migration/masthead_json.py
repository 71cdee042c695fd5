"""`masthead import masthead OUT.json[.gz]`: restore what `masthead export` wrote (docs/export.md).

The file is read twice, streamed both times. The first pass checks every line (UTF-8, JSON, the
format and version, each record's fields, references between records) and writes nothing, so a
damaged, truncated or foreign file is refused with one line before anything is written. The second
pass restores: readers and notification addresses first (a transaction per batch), then each thread
with its comments, votes and subscriptions through the shared writer (`MastheadWriter`, one
transaction per thread), then each campaign with its donations and ledger (one transaction per
campaign). A thread whose article is not on this site becomes a discussion of its external URL.

Each restored row is recorded in `ImportedObject` under the export's own keys, so a re-run of the
same file updates what changed and duplicates nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import zlib
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, ClassVar

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from masthead.core.canonical_url import canonical_url_or_none
from masthead.discussion.models import AnchorState, Comment, CommentStatus, Thread
from masthead.discussion.rendering import sanitise

from .export import FORMAT, IMPORTED_GUEST_PREFIX, VERSION
from .models import ImportedObject
from .records import ImportedStatus, SourceComment, SourceSubscription, SourceThread, SourceUser
from .sources import ImportNotes, SourceError
from .writer import BATCH, ImportWriter, fingerprint

MAX_LINE = 64 * 1024 * 1024  # one comment, or one donation's ledger: far below this
DOCUMENT_TYPES = ("reader", "address", "thread", "comment", "subscription", "campaign", "donation")
SECTION = {  # a document's sections, in the order they must come
    "reader": 0,
    "address": 1,
    "thread": 2,
    "comment": 2,
    "subscription": 2,
    "campaign": 3,
    "donation": 3,
}


# --- reading lines -------------------------------------------------------------------------------


def _open(path: Path) -> IO[bytes]:
    raw = path.open("rb")
    if raw.read(2) == b"\x1f\x8b":
        raw.seek(0)
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    raw.seek(0)
    return raw


def read_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each line; `SourceError` with the line number on anything else."""
    number = 0
    try:
        with _open(path) as stream:
            while True:
                raw = stream.readline(MAX_LINE + 1)
                if not raw:
                    return
                number += 1
                if len(raw) > MAX_LINE:
                    raise SourceError(f"line {number} is longer than {MAX_LINE} bytes")
                if not raw.endswith(b"\n"):
                    # Every line the export writes ends with one: a file cut short does not.
                    raise SourceError(f"line {number} is cut short: the file is truncated")
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise SourceError(
                        f"line {number} is not UTF-8 text (byte {exc.start + 1})"
                    ) from None
                try:
                    value = json.loads(text)
                except ValueError as exc:
                    reason = str(exc).split(":")[0]
                    raise SourceError(f"line {number} is not JSON ({reason})") from None
                if not isinstance(value, dict):
                    raise SourceError(f"line {number} is not a JSON object")
                yield number, value
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise SourceError(
            f"the gzip data is truncated or damaged after line {number} ({exc})".splitlines()[0]
        ) from None


# --- checking fields ------------------------------------------------------------------------------


class Line:
    """One object of the document, with typed access that names the line in its errors."""

    def __init__(self, number: int, value: dict[str, Any]) -> None:
        self.number = number
        self.value = value

    def fail(self, message: str) -> SourceError:
        kind = self.value.get("type", "header")
        return SourceError(f"line {self.number} ({kind}): {message}")

    def get(self, name: str, kinds: type | tuple[type, ...], *, optional: bool = False) -> Any:
        if name not in self.value:
            if optional:
                return None
            raise self.fail(f'"{name}" is missing')
        value = self.value[name]
        if value is None and optional:
            return None
        # bool is an int to Python; a count or amount given as true/false is refused.
        wrong_bool = isinstance(value, bool) and bool not in (
            kinds if isinstance(kinds, tuple) else (kinds,)
        )
        if not isinstance(value, kinds) or wrong_bool:
            raise self.fail(f'"{name}" has the wrong type')
        return value

    def text(self, name: str, *, limit: int | None = None, optional: bool = False) -> str:
        value = self.get(name, str, optional=optional)
        if value is None:
            return ""
        if limit is not None and len(value) > limit:
            raise self.fail(f'"{name}" is longer than {limit} characters')
        return str(value)

    def integer(self, name: str, *, minimum: int | None = None) -> int:
        value = int(self.get(name, int))
        if minimum is not None and value < minimum:
            raise self.fail(f'"{name}" is below {minimum}')
        return value

    def flag(self, name: str) -> bool:
        return bool(self.get(name, bool))

    def moment(self, name: str, *, optional: bool = False) -> dt.datetime | None:
        value = self.get(name, str, optional=optional)
        if value is None:
            return None
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(f'"{name}" is not an ISO 8601 time') from None
        if timezone.is_naive(moment):
            raise self.fail(f'"{name}" has no time zone')
        return moment

    def choice(self, name: str, choices: list[str]) -> str:
        value = self.text(name)
        if value not in choices:
            raise self.fail(f'"{name}" is not one of {", ".join(choices)}')
        return value


# --- records -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Header:
    site_name: str
    site_url: str
    exported_at: dt.datetime


@dataclass(slots=True)
class ReaderRecord:
    key: str
    name: str
    email: str
    verified: bool
    joined: dt.datetime | None

    def as_source_user(self) -> SourceUser:
        return SourceUser(
            source_id=self.key, name=self.name, email=self.email, verified=self.verified
        )


@dataclass(slots=True)
class AddressRecord:
    email: str
    reader: str | None
    confirmed: dt.datetime | None
    opted_out: dt.datetime | None
    failed: dt.datetime | None
    failure: str
    created_at: dt.datetime | None


@dataclass(slots=True)
class CampaignRecord:
    slug: str
    fields: dict[str, Any]
    created_at: dt.datetime | None
    donations: list[dict[str, Any]] = field(default_factory=list)


def read_header(line: Line) -> Header:
    if line.value.get("format") != FORMAT:
        raise SourceError(
            f"not a Masthead export (line 1 names format {line.value.get('format')!r}, "
            f"not {FORMAT!r})"
        )
    version = line.value.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SourceError(f"the export's version {version!r} is not a version number")
    if version > VERSION:
        raise SourceError(
            f"the export is version {version}, newer than this Masthead reads ({VERSION}): "
            "upgrade Masthead first"
        )
    site = line.get("site", dict)
    return Header(
        site_name=str(site.get("name") or ""),
        site_url=str(site.get("url") or ""),
        exported_at=line.moment("exported_at") or timezone.now(),
    )


def read_reader(line: Line) -> ReaderRecord:
    key = line.text("key", limit=150)
    if not key or ":" in key:
        raise line.fail('"key" is not a username')
    return ReaderRecord(
        key=key,
        name=line.text("name", limit=50),
        email=line.text("email", limit=254),
        verified=line.flag("verified"),
        joined=line.moment("joined", optional=True),
    )


def read_address(line: Line) -> AddressRecord:
    email = line.text("email", limit=254)
    if "@" not in email:
        raise line.fail('"email" is not an email address')
    return AddressRecord(
        email=email.lower(),
        reader=line.get("reader", str, optional=True),
        confirmed=line.moment("confirmed", optional=True),
        opted_out=line.moment("opted_out", optional=True),
        failed=line.moment("failed", optional=True),
        failure=line.text("failure", limit=300, optional=True),
        created_at=line.moment("created_at", optional=True),
    )


def read_thread(line: Line) -> SourceThread:
    url = line.text("url", limit=500)
    canonical = canonical_url_or_none(url)
    if canonical is None:
        raise line.fail('"url" is not an http(s) URL')
    return SourceThread(
        source_id=canonical,
        url=canonical,
        title=line.text("title", limit=255, optional=True),
        closed=line.flag("closed"),
    )


def read_comment(line: Line) -> SourceComment:
    votes: list[tuple[str, int]] = []
    for item in line.get("votes", list):
        if (
            not isinstance(item, list)
            or len(item) != 2
            or not isinstance(item[0], str)
            or item[1] not in (1, -1)
            or not item[0].startswith(("reader:", "guest:"))
        ):
            raise line.fail('"votes" holds something that is not ["reader:…" or "guest:…", ±1]')
        votes.append((item[0], int(item[1])))
    target = line.get("target", dict, optional=True)
    moderation = line.get("moderation", dict, optional=True) or {}
    created_at = line.moment("created_at")
    return SourceComment(
        source_id=line.text("id", limit=40),
        parent_id=line.get("parent", str, optional=True),
        author_name=line.text("author_name", limit=50),
        body=line.text("body"),
        created_at=created_at or timezone.now(),
        status=ImportedStatus(line.choice("status", list(CommentStatus.values))),
        body_is_html=False,
        author_email=line.text("author_email", limit=254, optional=True),
        author_website=line.text("author_website", limit=200, optional=True),
        user_id=line.get("reader", str, optional=True),
        edited_at=line.moment("edited_at", optional=True),
        upvotes=line.integer("upvotes", minimum=0),
        downvotes=line.integer("downvotes", minimum=0),
        is_pinned=line.flag("pinned"),
        votes=votes,
        extra={
            "html": line.text("html"),
            "target": target,
            "anchor_state": line.choice("anchor_state", list(AnchorState.values))
            if "anchor_state" in line.value
            else "",
            "moderation": moderation,
        },
    )


def read_subscription(line: Line) -> SourceSubscription:
    return SourceSubscription(
        email=line.text("email", limit=254).lower(),
        kind=line.choice("kind", ["all", "replies"]),
        confirmed=line.flag("confirmed"),
        comment_id=line.get("comment", str, optional=True),
        created_at=line.moment("created_at", optional=True),
    )


CAMPAIGN_TEXT = {
    "title": 160,
    "pitch": None,
    "currency": 3,
    "preset_amounts": 120,
    "thank_you_text": None,
    "other_ways_text": 1000,
    "other_ways_url": 200,
}
CAMPAIGN_NUMBERS = {"goal": 1, "baseline": None, "minimum_amount": 0, "maximum_amount": 0}
CAMPAIGN_FLAGS = ("active", "monthly_enabled", "donor_wall")


def read_campaign(line: Line) -> CampaignRecord:
    slug = line.text("slug", limit=80)
    if not slug:
        raise line.fail('"slug" is empty')
    fields: dict[str, Any] = {}
    for name, limit in CAMPAIGN_TEXT.items():
        fields[name] = line.text(name, limit=limit)
    for name, minimum in CAMPAIGN_NUMBERS.items():
        fields[name] = line.integer(name, minimum=minimum)
    for name in CAMPAIGN_FLAGS:
        fields[name] = line.flag(name)
    fields["starts_at"] = line.moment("starts_at", optional=True)
    fields["ends_at"] = line.moment("ends_at", optional=True)
    if fields["maximum_amount"] < fields["minimum_amount"]:
        raise line.fail('"maximum_amount" is below "minimum_amount"')
    return CampaignRecord(
        slug=slug, fields=fields, created_at=line.moment("created_at", optional=True)
    )


DONATION_TEXT = {
    "method": 16,
    "interval": 8,
    "currency": 3,
    "status": 20,
    "donor_name": 120,
    "donor_email": 254,
    "message": None,
    "source_url": 500,
    "note": None,
    "stripe_customer_id": 255,
    "stripe_setup_intent_id": 255,
    "stripe_payment_intent_id": 255,
    "stripe_subscription_id": 255,
}
LEDGER_KINDS = ["charge", "recurring", "manual", "refund", "dispute_lost"]


def read_donation(line: Line) -> dict[str, Any]:
    from masthead.funding.models import DonationStatus, Interval, Method

    fields: dict[str, Any] = {name: line.text(name, limit=n) for name, n in DONATION_TEXT.items()}
    for name, choices in (
        ("method", Method.values),
        ("interval", Interval.values),
        ("status", DonationStatus.values),
    ):
        if fields[name] not in choices:
            raise line.fail(f'"{name}" is not one of {", ".join(choices)}')
    fields["amount"] = line.integer("amount", minimum=0)
    for name in ("livemode", "anonymous", "subscription_active"):
        fields[name] = line.flag(name)
    for name in ("canceled_at", "erased_at"):
        fields[name] = line.moment(name, optional=True)
    fields["created_at"] = line.moment("created_at")
    ledger = []
    for entry in line.get("ledger", list):
        if not isinstance(entry, dict):
            raise line.fail('"ledger" holds something that is not an object')
        item = Line(line.number, {"type": "donation ledger entry", **entry})
        ledger.append(
            {
                "kind": item.choice("kind", LEDGER_KINDS),
                "provider": item.text("provider", limit=16),
                "object_id": item.text("object_id", limit=255),
                "charge_id": item.text("charge_id", limit=255, optional=True),
                "amount": item.integer("amount"),
                "currency": item.text("currency", limit=3),
                "livemode": item.flag("livemode"),
                "occurred_at": item.moment("occurred_at"),
            }
        )
    return {
        "id": line.text("id", limit=40),
        "fields": fields,
        "source_page": line.get("source_page", str, optional=True),
        "ledger": ledger,
    }


# --- the document as a stream of checked records ------------------------------------------------


def document(path: Path) -> Generator[tuple[str, Any], None, None]:
    """("header", Header) first, then (type, record) for every line, each checked, in order, with
    its references: a comment's parent and a subscription's comment in the same thread, a vote's or
    comment's reader among the readers, a donation after its campaign."""
    lines = read_lines(path)
    first = next(lines, None)
    if first is None:
        raise SourceError("the file is empty: not a Masthead export")
    yield "header", read_header(Line(*first))
    readers: set[str] = set()
    threads: set[str] = set()
    comment_ids: set[str] = set()
    thread_comments: dict[str, str | None] = {}
    subscription_comments: list[tuple[Line, str]] = []
    thread_url: str | None = None
    campaigns: set[str] = set()
    campaign: str | None = None
    donations: set[str] = set()
    section = 0

    pending_parents: list[tuple[Line, str]] = []

    def close_thread() -> None:
        for line, parent in pending_parents:
            if parent not in thread_comments:
                raise line.fail(f'"parent" {parent!r} is no comment of its thread')
        for line, comment in subscription_comments:
            if comment not in thread_comments:
                raise line.fail(f'"comment" {comment!r} is no comment of its thread')
        pending_parents.clear()
        subscription_comments.clear()
        thread_comments.clear()

    for number, value in lines:
        line = Line(number, value)
        kind = value.get("type")
        if kind not in SECTION:
            raise line.fail(f"unknown type {kind!r} (one of {', '.join(DOCUMENT_TYPES)})")
        if SECTION[kind] < section:
            raise line.fail("out of order (readers, addresses, threads, campaigns)")
        section = SECTION[kind]
        if kind == "reader":
            reader = read_reader(line)
            if reader.key in readers:
                raise line.fail(f"reader {reader.key!r} appears twice")
            readers.add(reader.key)
            yield kind, reader
        elif kind == "address":
            address = read_address(line)
            if address.reader is not None and address.reader not in readers:
                raise line.fail(f'"reader" {address.reader!r} is not among the readers')
            yield kind, address
        elif kind == "thread":
            close_thread()
            thread = read_thread(line)
            if thread.url in threads:
                raise line.fail(f"thread {thread.url} appears twice")
            threads.add(thread.url)
            thread_url = thread.url
            yield kind, thread
        elif kind in ("comment", "subscription"):
            if thread_url is None or canonical_url_or_none(line.text("thread")) != thread_url:
                raise line.fail('"thread" is not the thread line before it')
            if kind == "comment":
                comment = read_comment(line)
                if comment.source_id in comment_ids:
                    raise line.fail(f"comment id {comment.source_id!r} appears twice")
                comment_ids.add(comment.source_id)
                thread_comments[comment.source_id] = comment.parent_id
                if comment.parent_id is not None:
                    pending_parents.append((line, comment.parent_id))
                named = {voter[7:] for voter, _ in comment.votes if voter.startswith("reader:")}
                if comment.user_id is not None:
                    named.add(comment.user_id)
                for key in named - readers:
                    raise line.fail(f"reader {key!r} is not among the readers")
                yield kind, comment
            else:
                subscription = read_subscription(line)
                if subscription.comment_id is not None:
                    subscription_comments.append((line, subscription.comment_id))
                yield kind, subscription
        elif kind == "campaign":
            close_thread()
            record = read_campaign(line)
            if record.slug in campaigns:
                raise line.fail(f"campaign {record.slug!r} appears twice")
            campaigns.add(record.slug)
            campaign = record.slug
            yield kind, record
        else:
            if campaign is None or line.text("campaign") != campaign:
                raise line.fail('"campaign" is not the campaign line before it')
            donation = read_donation(line)
            if donation["id"] in donations:
                raise line.fail(f"donation id {donation['id']!r} appears twice")
            donations.add(donation["id"])
            yield kind, donation
    close_thread()


# --- restoring ---------------------------------------------------------------------------------


class MastheadWriter(ImportWriter):
    """The shared writer, with what only a Masthead export carries: votes by reader or by the
    guest hash the export gave (kept as the voter key, so a re-export gives it back), and each
    comment's rendered HTML, inline target, anchor state and moderation record restored in the
    thread's own transaction."""

    def _users(self, record: SourceThread, comments: list[SourceComment]) -> dict[str, int]:
        """The comments' authors, and the readers who only voted (restored with the readers)."""
        users = super()._users(record, comments)
        voters = {v[7:] for c in comments for v, _ in c.votes if v.startswith("reader:")}
        for key, row in self._imported("user", voters - users.keys()).items():
            users[key] = int(row.object_id)
        return users

    def _voter_key(self, voter: str, users: dict[str, int]) -> str:
        if voter.startswith("reader:") and voter[7:] in users:
            return f"user:{users[voter[7:]]}"
        return f"{IMPORTED_GUEST_PREFIX}{voter.split(':', 1)[1]}"

    def _write(self, record: SourceThread) -> Thread | None:
        thread = super()._write(record)
        if thread is not None:
            self._restore_extras(record)
        return thread

    def _restore_extras(self, record: SourceThread) -> None:
        extras = {comment.source_id: comment.extra for comment in record.comments}
        rows = self._imported("comment", extras)
        comments = Comment.objects.in_bulk([int(row.object_id) for row in rows.values()])
        changed: list[Comment] = []
        for source_id, row in rows.items():
            comment = comments.get(int(row.object_id))
            if comment is None:
                continue
            extra = extras[source_id]
            html = sanitise(str(extra["html"])) if extra["html"] else ""
            wanted: tuple[Any, ...] = (
                html,
                extra["target"],
                str(extra["anchor_state"]),
                extra["moderation"],
            )
            if (comment.html, comment.target, comment.anchor_state, comment.moderation) != wanted:
                comment.html, comment.target, comment.anchor_state, comment.moderation = wanted
                changed.append(comment)
        Comment.objects.bulk_update(
            changed, ["html", "target", "anchor_state", "moderation"], batch_size=BATCH
        )


class MastheadSource:
    name: ClassVar[str] = "masthead"
    help: ClassVar[str] = (
        "Restore a `masthead export` file (JSON lines, gzip or not) into this site: "
        "readers, threads with comments, votes and subscriptions, campaigns and their ledger."
    )
    writer_class: ClassVar[type[ImportWriter]] = MastheadWriter

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("path", metavar="OUT.json[.gz]", help="the file masthead export wrote")
        # A thread whose article is not on this site is kept as a discussion of its URL.
        parser.set_defaults(create_stubs=True)

    def __init__(self, options: Mapping[str, object]) -> None:
        self.path = Path(str(options["path"]))
        if not self.path.is_file():
            raise SourceError(f"no file {self.path}")
        items = document(self.path)
        _, header = next(items)
        self.header: Header = header
        items.close()
        self.readers: dict[str, int] = {}

    def source_key(self) -> str:
        """Names this export (its site and moment): a re-run of the file resumes it; another export
        of the same site is another source, so its own comment ids never match this one's."""
        digest = hashlib.sha256(
            f"{self.header.site_url}|{self.header.exported_at.isoformat()}".encode()
        ).hexdigest()[:12]
        host = (self.header.site_url.split("//")[-1].split("/")[0] or "site")[:17]
        return f"masthead:{host}:{digest}"

    def threads(self, notes: ImportNotes) -> Iterator[SourceThread]:
        for _ in document(self.path):  # the whole file checked before anything is written
            pass
        readers: dict[str, ReaderRecord] = {}
        thread: SourceThread | None = None
        campaign: CampaignRecord | None = None
        pending_readers: list[ReaderRecord] = []
        pending_addresses: list[AddressRecord] = []
        for kind, record in document(self.path):
            if kind == "reader":
                readers[record.key] = record
                pending_readers.append(record)
                if len(pending_readers) >= BATCH:
                    self._restore_readers(pending_readers, notes)
            elif kind == "address":
                self._restore_readers(pending_readers, notes)
                pending_addresses.append(record)
                if len(pending_addresses) >= BATCH:
                    self._restore_addresses(pending_addresses, notes)
            elif kind == "thread":
                self._restore_readers(pending_readers, notes)
                self._restore_addresses(pending_addresses, notes)
                if thread is not None:
                    yield self._with_users(thread, readers)
                thread = record
            elif kind == "comment":
                if thread is not None:  # the first pass checked it
                    thread.comments.append(record)
            elif kind == "subscription":
                if thread is not None:  # the first pass checked it
                    thread.subscriptions.append(record)
            elif kind == "campaign":
                if thread is not None:
                    yield self._with_users(thread, readers)
                    thread = None
                if campaign is not None:
                    self._restore_campaign(campaign, notes)
                campaign = record
            elif kind == "donation" and campaign is not None:  # the first pass checked it
                campaign.donations.append(record)
        self._restore_readers(pending_readers, notes)
        self._restore_addresses(pending_addresses, notes)
        if thread is not None:
            yield self._with_users(thread, readers)
        if campaign is not None:
            self._restore_campaign(campaign, notes)

    def _with_users(self, thread: SourceThread, readers: dict[str, ReaderRecord]) -> SourceThread:
        named = {comment.user_id for comment in thread.comments if comment.user_id}
        thread.users = [readers[key].as_source_user() for key in sorted(named)]
        return thread

    # --- readers and addresses -----------------------------------------------------------------

    def _restore_readers(self, pending: list[ReaderRecord], notes: ImportNotes) -> None:
        """Accounts for the readers (no password: they set one through the site's reset), recorded
        under the writer's kind "user" so the writer attaches their comments to them."""
        if not pending:
            return
        from allauth.account.models import EmailAddress as AccountAddress

        from .writer import clean_email

        User = get_user_model()
        source = self.source_key()
        with transaction.atomic():
            known = {
                row.source_id: row
                for row in ImportedObject.objects.filter(
                    source=source, kind="user", source_id__in=[r.key for r in pending]
                )
            }
            for reader in pending:
                row = known.get(reader.key)
                if row is not None and User.objects.filter(pk=row.object_id).exists():
                    self.readers[reader.key] = int(row.object_id)
                    notes.count("reader", "unchanged")
                    continue
                username = reader.key
                if User.objects.filter(username=username).exists():
                    username = (
                        f"{reader.key[:130]}-{hashlib.sha256(source.encode()).hexdigest()[:8]}"
                    )
                    notes.note("readers whose username was taken here got a suffix")
                email = clean_email(reader.email)
                if email and User.objects.filter(email__iexact=email).exists():
                    email = ""  # never two accounts on one address; the older one keeps it
                    notes.note("readers whose email belongs to an account here kept no email")
                account = User(
                    username=username,
                    display_name=reader.name,
                    email=email,
                    date_joined=reader.joined or timezone.now(),
                )
                account.set_unusable_password()
                account.save()
                if email and reader.verified:
                    AccountAddress.objects.create(
                        user=account, email=email, verified=True, primary=True
                    )
                ImportedObject.objects.update_or_create(
                    source=source,
                    kind="user",
                    source_id=reader.key,
                    defaults={
                        "content_type": self._content_type(User),
                        "object_id": str(account.pk),
                        "fingerprint": fingerprint(reader.as_source_user()),
                    },
                )
                self.readers[reader.key] = account.pk
                notes.count("reader", "imported")
        pending.clear()

    def _restore_addresses(self, pending: list[AddressRecord], notes: ImportNotes) -> None:
        """Notification addresses with their state; an opt-out or a refusal here is never undone."""
        if not pending:
            return
        from masthead.notifications.models import EmailAddress

        with transaction.atomic():
            for record in pending:
                user_id = self.readers.get(record.reader) if record.reader else None
                address = EmailAddress.objects.filter(email=record.email).first()
                if address is None:
                    EmailAddress.objects.create(
                        email=record.email,
                        user_id=user_id,
                        confirmed_at=record.confirmed,
                        opted_out_at=record.opted_out,
                        failed_at=record.failed,
                        failure=record.failure,
                        created_at=record.created_at or timezone.now(),
                    )
                    notes.count("address", "imported")
                    continue
                updates = {
                    "confirmed_at": address.confirmed_at or record.confirmed,
                    "opted_out_at": address.opted_out_at or record.opted_out,
                    "failed_at": address.failed_at or record.failed,
                    "failure": address.failure or record.failure,
                    "user_id": address.user_id or user_id,
                }
                if any(getattr(address, name) != value for name, value in updates.items()):
                    EmailAddress.objects.filter(pk=address.pk).update(**updates)
                    notes.count("address", "updated")
                else:
                    notes.count("address", "unchanged")
        pending.clear()

    def _content_type(self, model: Any) -> Any:
        from django.contrib.contenttypes.models import ContentType

        return ContentType.objects.get_for_model(model)

    # --- campaigns -----------------------------------------------------------------------------

    def _restore_campaign(self, record: CampaignRecord, notes: ImportNotes) -> None:
        """The campaign by slug, its donations and its ledger, in one transaction; totals summed
        from the ledger as the site sums them. No receipts, no webhooks: the money moved before."""
        from masthead.funding.actions import bump_totals
        from masthead.funding.models import Campaign, CampaignTotal, Donation, LedgerEntry

        source = self.source_key()
        with transaction.atomic():
            campaign, created = Campaign.objects.update_or_create(
                slug=record.slug, defaults=record.fields
            )
            if record.created_at is not None:
                Campaign.objects.filter(pk=campaign.pk).update(created_at=record.created_at)
            notes.count("campaign", "imported" if created else "updated")
            known = {
                row.source_id: row
                for row in ImportedObject.objects.filter(
                    source=source,
                    kind="donation",
                    source_id__in=[item["id"] for item in record.donations],
                )
            }
            donation_type = self._content_type(Donation)
            for item in record.donations:
                fields = dict(item["fields"])
                for name in ("stripe_payment_intent_id", "stripe_subscription_id"):
                    fields[name] = fields[name] or None  # unique when set
                fields["source_page_id"] = self._page_of(item["source_page"])
                row = known.get(item["id"])
                donation = (
                    Donation.objects.filter(pk=row.object_id, campaign=campaign).first()
                    if row is not None
                    else None
                )
                if donation is None:
                    donation = Donation.objects.create(campaign=campaign, **fields)
                    outcome = "imported"
                else:
                    Donation.objects.filter(pk=donation.pk).update(**fields)
                    outcome = "updated"
                ImportedObject.objects.update_or_create(
                    source=source,
                    kind="donation",
                    source_id=item["id"],
                    defaults={"content_type": donation_type, "object_id": str(donation.pk)},
                )
                notes.count("donation", outcome)
                for entry in item["ledger"]:
                    _, made = LedgerEntry.objects.get_or_create(
                        provider=entry["provider"],
                        object_id=entry["object_id"],
                        defaults={**entry, "campaign": campaign, "donation": donation},
                    )
                    notes.count("ledger entry", "imported" if made else "unchanged")
            self._sum_totals(campaign.pk, CampaignTotal, LedgerEntry)
            bump_totals(campaign.pk)

    @staticmethod
    def _sum_totals(campaign_id: int, total_model: Any, entry_model: Any) -> None:
        """Settled money per currency and mode, and donors counted once each (a donation with a
        positive entry), as `funding.actions.add_ledger_entry` counts them as they come."""
        from django.db.models import Count, Sum

        total_model.objects.filter(campaign_id=campaign_id).delete()
        sums = (
            entry_model.objects.filter(campaign_id=campaign_id)
            .values("currency", "livemode")
            .annotate(settled=Sum("amount"))
        )
        for row in sums:
            donors = (
                entry_model.objects.filter(
                    campaign_id=campaign_id,
                    currency=row["currency"],
                    livemode=row["livemode"],
                    amount__gt=0,
                )
                .aggregate(n=Count("donation", distinct=True))
                .get("n")
            )
            total_model.objects.create(
                campaign_id=campaign_id,
                currency=row["currency"],
                livemode=row["livemode"],
                settled=row["settled"] or 0,
                donor_count=donors or 0,
            )

    def _page_of(self, url: str | None) -> int | None:
        if not url:
            return None
        if not hasattr(self, "_finder"):
            self._finder = ImportWriter(self.source_key(), _Silent())
        return self._finder.find_article(url)


class _Silent:
    """Notes nobody reads (the page lookup for a donation writes none)."""

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        pass

    def skip(self, skip: Any) -> None:
        pass

    def note(self, text: str) -> None:
        pass
