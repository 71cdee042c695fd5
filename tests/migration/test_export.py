"""`masthead export` and `masthead import masthead`: a site's discussion and funding survive the
round trip unchanged, a re-import duplicates nothing, and bad files are refused with one line."""

from __future__ import annotations

import gzip
import io
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from masthead.discussion.models import Comment, Thread, Vote
from masthead.funding.models import Campaign, Donation, LedgerEntry
from masthead.migration.export import export_site
from masthead.migration.models import ImportedObject
from masthead.notifications.models import EmailAddress, Subscription
from tests.helpers import (
    RIVER,
    a_moderator_user,
    a_verified_user,
    comment_as,
    guest_actor,
    monthly_donation,
    post_inline,
    user_actor,
)
from tests.migration.conftest import run

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_site(a_thread: Any, a_campaign: Any, an_inline_thread: Any) -> Any:
    """A thread with a moderated tree, votes, a pin, a closure, subscriptions; a campaign with a gift."""
    from masthead.discussion.actions import vote
    from masthead.moderation import actions as moderation
    from masthead.notifications.actions import subscribe

    moderator = user_actor(a_moderator_user())
    reader = a_verified_user("nadia", display_name="Nadia K")
    first = comment_as(user_actor(reader), a_thread, "The first word.")
    moderation.approve_comment(moderator, first)
    reply = comment_as(guest_actor("guest"), a_thread, "A reply.", parent_id=first.pk)
    moderation.approve_comment(moderator, reply)
    held = comment_as(guest_actor(), a_thread, "Still waiting.")
    moderation.hold_comment(moderator, held)
    moderation.mark_spam(moderator, comment_as(guest_actor(), a_thread, "Buy pills."))
    moderation.remove_comment(moderator, comment_as(guest_actor(), a_thread, "Rude."), "rude")
    vote(guest_actor("voter"), first, 1)
    vote(user_actor(a_verified_user("omar")), first, 1)
    vote(user_actor(reader), reply, 1)
    moderation.set_pinned(moderator, first, True)
    subscribe(user_actor(reader), a_thread, email=reader.email)
    subscribe(guest_actor(), a_thread, email="lurker@example.com")
    moderation.set_thread_closed(moderator, a_thread, True)
    monthly_donation(a_campaign, "giver@example.com")
    post_inline(an_inline_thread, RIVER, "Which decade?")
    return a_thread


def lines(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        parsed = [json.loads(line) for line in handle]
    parsed[0].pop("exported_at")
    return parsed


def wipe(path: Path) -> None:
    """What the import restores, gone: as a fresh site with the same articles."""
    from django.contrib.auth import get_user_model

    readers = [line["key"] for line in lines(path) if line.get("type") == "reader"]
    Vote.objects.all().delete()
    Subscription.objects.all().delete()
    EmailAddress.objects.all().delete()
    Comment.objects.order_by("-depth").delete()
    Thread.objects.all().delete()
    LedgerEntry.objects.all().delete()
    Donation.objects.all().delete()
    Campaign.objects.all().delete()
    ImportedObject.objects.all().delete()
    get_user_model().objects.filter(username__in=readers).delete()


def counts() -> dict[str, int]:
    models = (Thread, Comment, Vote, Subscription, EmailAddress, Campaign, Donation, LedgerEntry)
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.parametrize("name", ["site.json", "site.json.gz"])
def test_export_import_export_gives_the_same_document(
    a_site: Any, tmp_path: Path, name: str
) -> None:
    first = tmp_path / name
    call_command("masthead_export", str(first), stdout=io.StringIO())
    document = lines(first)
    kinds = [line.get("type") for line in document[1:]]
    for kind in ("reader", "address", "thread", "comment", "subscription", "campaign", "donation"):
        assert kind in kinds, kind
    comments = [line for line in document if line.get("type") == "comment"]
    assert {line["status"] for line in comments} >= {"approved", "pending", "spam", "removed"}
    assert any(line["parent"] for line in comments) and any(line["pinned"] for line in comments)
    assert [line["closed"] for line in document if line.get("type") == "thread"].count(True) == 1
    voters = [voter for line in comments for voter, _ in line["votes"]]
    assert any(v.startswith("reader:") for v in voters), voters
    assert any(v.startswith("guest:") for v in voters), voters
    assert any(line["target"] for line in comments)
    assert len(next(line for line in document if line.get("type") == "donation")["ledger"]) >= 1
    before = counts()

    wipe(first)
    outcome = run("masthead", str(first))
    assert outcome.status == 0, outcome.out + outcome.err
    assert counts() == before
    second = tmp_path / f"again-{name}"
    export_site(second)
    assert lines(second) == document


def test_reimporting_the_same_file_duplicates_nothing(a_site: Any, tmp_path: Path) -> None:
    path = tmp_path / "site.json"
    export_site(path)
    wipe(path)
    assert run("masthead", str(path)).status == 0
    once = counts()
    again = run("masthead", str(path))
    assert again.status == 0, again.err
    assert counts() == once


def test_a_thread_not_on_this_site_becomes_an_external_url_thread(
    a_site: Any, tmp_path: Path
) -> None:
    path = tmp_path / "site.json"
    export_site(path)
    old_url = next(
        line["url"] for line in lines(path) if line.get("type") == "thread" and line["closed"]
    )
    elsewhere = "https://elsewhere.example.org/2020/old-post/"
    path.write_text(path.read_text(encoding="utf-8").replace(old_url, elsewhere), encoding="utf-8")
    wipe(path)
    outcome = run("masthead", str(path))
    assert outcome.status == 0, outcome.out + outcome.err
    thread = Thread.objects.get(url=elsewhere)
    assert thread.page_id is None and thread.comments.count() == 5
    response = Client().get("/api/v1/threads", {"url": elsewhere})
    assert response.status_code == 200, response.content
    assert response.json()["id"] == thread.pk


def broken(path: Path, good: list[str], how: str) -> None:
    if how == "not an export":
        path.write_text('{"version": 1, "users": [], "posts": []}\n', encoding="utf-8")
    elif how == "unknown version":
        header = json.loads(good[0])
        header["version"] = 99
        path.write_text("".join([json.dumps(header) + "\n", *good[1:]]), encoding="utf-8")
    elif how == "garbage line":
        path.write_text("".join([*good[:-1], "{not json at all\n"]), encoding="utf-8")
    else:  # truncated: the last line cut in half
        path.write_text("".join(good)[:-40], encoding="utf-8")


@pytest.mark.parametrize(
    ("how", "says"),
    [
        ("not an export", "masthead-export"),
        ("unknown version", "version"),
        ("garbage line", "not JSON"),
        ("truncated", "truncated"),
    ],
)
def test_a_bad_file_is_refused_with_one_line_and_nothing_written(
    a_site: Any, tmp_path: Path, how: str, says: str
) -> None:
    good = tmp_path / "site.json"
    export_site(good)
    bad = tmp_path / "bad.json"
    broken(bad, good.read_text(encoding="utf-8").splitlines(keepends=True), how)
    wipe(good)
    outcome = run("masthead", str(bad))
    assert outcome.status != 0
    error_lines = [line for line in outcome.err.splitlines() if line.startswith("masthead import")]
    assert len(error_lines) == 1 and says in error_lines[0], outcome.err
    assert "Traceback" not in outcome.err
    assert not Comment.objects.exists() and not Thread.objects.exists()
    assert not Donation.objects.exists()


def test_the_export_is_private_and_a_missing_directory_fails_cleanly(
    a_site: Any, tmp_path: Path
) -> None:
    path = tmp_path / "site.json.gz"
    call_command("masthead_export", str(path), stdout=io.StringIO())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    err = io.StringIO()
    target = tmp_path / "missing" / "site.json"
    with pytest.raises(SystemExit) as exit_:
        call_command("masthead_export", str(target), stdout=io.StringIO(), stderr=err)
    assert exit_.value.code == 1
    assert len(err.getvalue().strip().splitlines()) == 1 and "no directory" in err.getvalue()
    assert not target.parent.exists()


@pytest.mark.django_db(transaction=True)
def test_the_command_outside_any_transaction_reads_one_snapshot(
    a_thread: Any, tmp_path: Path
) -> None:
    # As `masthead export` runs: its own transaction (repeatable read, read only, on PostgreSQL).
    comment_as(guest_actor(), a_thread, "Seen by the export.")
    path = tmp_path / "site.json"
    out = io.StringIO()
    call_command("masthead_export", str(path), stdout=out)
    assert "1 comments" in out.getvalue()
    assert [line["body"] for line in lines(path) if line.get("type") == "comment"] == [
        "Seen by the export."
    ]
