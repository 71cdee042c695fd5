"""The optional Akismet-compatible provider, against a real local server speaking its protocol.

The fixture's server records every request and answers as the test says: true, false, discard,
500, nonsense, or slow (it holds the answer past the client's timeout).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.utils import timezone

from masthead.moderation import akismet
from masthead.moderation.models import ProviderCheck
from tests.helpers import guest_actor, user_actor
from tests.moderation.conftest import decide, moderator_client

pytestmark = pytest.mark.django_db

KEY = "test-akismet-key"


class AkismetServer:
    """A threaded HTTP server on loopback that answers the Akismet 1.1 API."""

    def __init__(self) -> None:
        self.answer = "false"
        self.requests: list[dict[str, Any]] = []
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {
                    key: values[0]
                    for key, values in parse_qs(self.rfile.read(length).decode()).items()
                }
                server.requests.append({"path": self.path, "form": form, "headers": self.headers})
                answer = server.answer
                if answer == "slow":
                    server.release.wait(10)  # longer than the client waits
                    answer = "false"
                if answer == "500":
                    self.send_response(500)
                    self.end_headers()
                    return
                body = {
                    "true": b"true",
                    "discard": b"true",
                    "false": b"false",
                    "invalid": b"invalid",
                }.get(answer, b"Thanks for making the web a better place.")
                if "/submit-" in self.path:
                    body = b"Thanks for making the web a better place."
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                if answer == "discard":
                    self.send_header("X-akismet-pro-tip", "discard")
                if answer == "invalid":
                    self.send_header("X-akismet-debug-help", "Empty or invalid api_key")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def calls(self, method: str) -> list[dict[str, str]]:
        return [item["form"] for item in self.requests if item["path"] == f"/1.1/{method}"]

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def provider(settings: Any) -> Iterator[AkismetServer]:
    server = AkismetServer()
    settings.MASTHEAD_AKISMET_KEY = KEY
    settings.MASTHEAD_AKISMET_URL = server.url
    settings.MASTHEAD_MODERATION = {"AKISMET_TIMEOUT": 0.5}
    yield server
    server.stop()


def queue_item(user: Any, status: str, comment_id: int) -> dict[str, Any]:
    response = moderator_client(user).get(f"/api/v1/moderation/comments?status={status}")
    assert response.status_code == 200
    return next(item for item in response.json()["items"] if item["id"] == comment_id)


CALM = "The council meets on Thursday to talk about the reservoir."
SPAMMY = "WIN BIG with casino bonus!!! Cheap crypto signals, earn money fast"


def test_provider_spam_files_the_comment_as_spam_and_moderators_see_why(
    provider: AkismetServer, post: Any, a_moderator: Any
) -> None:
    provider.answer = "true"
    author = guest_actor(ip="198.51.100.23")
    comment = post(CALM, actor=author, name="Pat", email="pat@example.com", website="pat.example")
    assert comment.status == "spam"
    assert comment.moderation["scorer"] == "akismet"
    assert comment.moderation["provider"]["result"] == "spam"

    [sent] = provider.calls("comment-check")
    assert sent["api_key"] == KEY
    assert sent["blog"].startswith("http")
    assert sent["user_ip"] == "198.51.100.23"
    assert sent["user_agent"] == "pytest"
    assert sent["comment_content"] == CALM
    assert sent["comment_author"] == "Pat"
    assert sent["comment_author_email"] == "pat@example.com"
    assert sent["comment_author_url"] == "https://pat.example"
    assert sent["comment_type"] == "comment"
    assert sent["permalink"].endswith(comment.thread.page.url)

    why = queue_item(a_moderator, "spam", comment.pk)["why"]
    assert why["rule"] == "spam_score"
    assert why["scorer"] == "akismet"
    assert why["version"] == akismet.API_VERSION
    assert why["score"] >= 0.9
    assert why["provider"] == {
        "name": "akismet",
        "result": "spam",
        "detail": "",
        "feedback": "",
    }


def test_provider_spam_only_holds_the_comment_when_the_spam_threshold_is_higher(
    provider: AkismetServer, post: Any, settings: Any
) -> None:
    settings.MASTHEAD_MODERATION = {"AKISMET_TIMEOUT": 0.5, "SPAM_SCORE": 0.95}
    provider.answer = "true"
    comment = post(CALM)
    assert comment.status == "pending"
    assert comment.moderation["scorer"] == "akismet"


def test_pro_tip_discard_files_the_comment_as_spam_whatever_the_thresholds(
    provider: AkismetServer, post: Any, settings: Any
) -> None:
    settings.MASTHEAD_MODERATION = {"AKISMET_TIMEOUT": 0.5, "SPAM_SCORE": 0.99}
    provider.answer = "discard"
    comment = post(CALM)
    assert comment.status == "spam"
    assert comment.moderation["provider"]["result"] == "discard"
    assert "discard" in comment.moderation["reason"]


def test_provider_ham_leaves_the_local_rules_in_charge(
    provider: AkismetServer, post: Any, seeded_classifier: Any
) -> None:
    provider.answer = "false"
    comment = post(CALM)
    assert comment.status == "approved"
    assert ProviderCheck.objects.get(comment=comment).result == "ham"
    caught = post(SPAMMY, seconds_to_submit=1.0)
    assert caught.status in {"pending", "spam"}
    assert caught.moderation["scorer"] == "masthead-spam-score"
    assert caught.moderation["provider"]["result"] == "ham"


@pytest.mark.parametrize("answer", ["500", "slow", "invalid"])
def test_a_provider_that_fails_never_blocks_or_loses_a_comment(
    answer: str, provider: AkismetServer, post: Any, a_moderator: Any
) -> None:
    provider.answer = answer
    comment = post(CALM)
    assert comment.pk is not None
    assert comment.status == "approved"  # scored locally: nothing suspicious
    check = ProviderCheck.objects.get(comment=comment)
    assert check.result == "unavailable"
    assert check.detail
    why = queue_item(a_moderator, "approved", comment.pk)["why"]
    assert why["provider"]["result"] == "unavailable"


def test_when_the_provider_is_down_the_local_scorers_still_catch_spam(
    provider: AkismetServer, post: Any, a_moderator: Any, seeded_classifier: Any
) -> None:
    provider.answer = "slow"
    comment = post(SPAMMY, seconds_to_submit=1.0)
    assert comment.status in {"pending", "spam"}
    assert comment.moderation["scorer"] == "masthead-spam-score"
    assert "Akismet unavailable" in comment.moderation["reason"]
    why = queue_item(a_moderator, comment.status, comment.pk)["why"]
    assert why["scorer"] == "masthead-spam-score"
    assert why["provider"]["result"] == "unavailable"


def test_a_provider_that_refuses_connections_counts_as_unavailable(
    provider: AkismetServer, post: Any, settings: Any
) -> None:
    provider.stop()  # nothing listens on the port any more
    comment = post(CALM)
    assert comment.status == "approved"
    assert ProviderCheck.objects.get(comment=comment).result == "unavailable"


def test_without_a_key_nothing_is_sent(provider: AkismetServer, post: Any, settings: Any) -> None:
    settings.MASTHEAD_AKISMET_KEY = ""
    comment = post(CALM)
    assert comment.status == "approved"
    assert provider.requests == []
    assert not ProviderCheck.objects.exists()


def test_staff_comments_and_edits_are_not_sent(
    provider: AkismetServer, post: Any, a_staff_user: Any
) -> None:
    from masthead.discussion.actions import edit_comment

    post(CALM + " From the desk.", actor=user_actor(a_staff_user))
    author = guest_actor()
    comment = post(CALM, actor=author)
    edit_comment(author, comment, CALM + " Edited.")
    assert len(provider.calls("comment-check")) == 1


def test_approving_what_the_provider_called_spam_sends_submit_ham(
    provider: AkismetServer,
    post: Any,
    a_moderator: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    provider.answer = "true"
    comment = post(CALM, actor=guest_actor(ip="198.51.100.77"))
    assert comment.status == "spam"
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(a_moderator, comment.pk, "approve").status_code == 200
    [ham] = provider.calls("submit-ham")
    assert ham["user_ip"] == "198.51.100.77"
    assert ham["comment_content"] == CALM
    assert ham["api_key"] == KEY
    assert provider.calls("submit-spam") == []
    check = ProviderCheck.objects.get(comment=comment)
    assert check.feedback == "ham"
    assert queue_item(a_moderator, "approved", comment.pk)["why"]["provider"]["feedback"] == "ham"


def test_filing_as_spam_what_the_provider_let_through_sends_submit_spam(
    provider: AkismetServer,
    post: Any,
    a_moderator: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    provider.answer = "false"
    comment = post(CALM)
    assert comment.status == "approved"
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(a_moderator, comment.pk, "spam").status_code == 200
    [spam] = provider.calls("submit-spam")
    assert spam["comment_content"] == CALM
    assert ProviderCheck.objects.get(comment=comment).feedback == "spam"


def test_decisions_that_agree_with_the_provider_send_nothing(
    provider: AkismetServer,
    post: Any,
    a_moderator: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.MASTHEAD_MODERATION = {"AKISMET_TIMEOUT": 0.5, "SPAM_SCORE": 0.95}
    provider.answer = "true"
    held = post(CALM)
    assert held.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(a_moderator, held.pk, "spam").status_code == 200
    assert provider.calls("submit-spam") == []
    assert provider.calls("submit-ham") == []


def test_a_decision_stands_when_the_provider_is_down_for_feedback(
    provider: AkismetServer,
    post: Any,
    a_moderator: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    provider.answer = "true"
    comment = post(CALM)
    provider.answer = "500"
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(a_moderator, comment.pk, "approve").status_code == 200
    comment.refresh_from_db()
    assert comment.status == "approved"


def test_a_comment_the_provider_never_judged_sends_nothing(
    provider: AkismetServer,
    post: Any,
    a_moderator: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    provider.answer = "500"
    comment = post(CALM)
    provider.answer = "false"
    with django_capture_on_commit_callbacks(execute=True):
        decide(a_moderator, comment.pk, "spam")
    assert provider.calls("submit-spam") == []


def test_what_was_sent_is_forgotten_after_the_keep_period(
    provider: AkismetServer, post: Any
) -> None:
    comment = post(CALM)
    check = ProviderCheck.objects.get(comment=comment)
    assert check.params["user_ip"]
    assert akismet.forget_old_params() == 0
    ProviderCheck.objects.filter(pk=check.pk).update(checked_at=timezone.now() - timedelta(days=31))
    assert akismet.forget_old_params() == 1
    check.refresh_from_db()
    assert check.params == {}
    assert check.result == "ham"  # the verdict itself stays


def test_hostile_comment_text_is_sent_intact(provider: AkismetServer, post: Any) -> None:
    from tests.helpers import hostile_strings

    bodies = [line for line in hostile_strings("sqli.txt") if line.strip()][:5]
    for body in bodies:
        post(body)
    sent = [form.get("comment_content", "") for form in provider.calls("comment-check")]
    assert sent == bodies
