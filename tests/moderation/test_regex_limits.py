"""Regular-expression word rules have time limits: a catastrophic pattern never hangs posting.

A rule that runs out of time counts as not matching, and the comment waits for a moderator
("rule timed out"). The admin refuses patterns that do not compile or that time out on a probe.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from masthead.core.errors import ApiError
from masthead.discussion.models import Comment
from masthead.moderation.models import WordRule
from masthead.moderation.rules import current_rules, pattern_problem
from tests.helpers import guest_actor, hostile_strings

pytestmark = pytest.mark.django_db

CATASTROPHIC = r"(a+)+$"
HOSTILE_BODY = "a" * 3000 + "!"


def catastrophic_rule(kind: str = "suspect", pattern: str = CATASTROPHIC) -> WordRule:
    """A rule saved before validation existed (or imported): the form would refuse it today."""
    return WordRule.objects.create(kind=kind, pattern=pattern, is_regex=True)


def test_catastrophic_rule_on_hostile_text_holds_the_comment_instead_of_hanging(post: Any) -> None:
    rule = catastrophic_rule()
    comment = post(HOSTILE_BODY)
    assert comment.status == "pending"
    assert comment.moderation["rule"] == "rule_timeout"
    assert comment.moderation["reason"].startswith("Rule timed out")
    assert f"#{rule.pk}" in comment.moderation["reason"]


def test_a_banned_rule_that_times_out_does_not_refuse_the_comment(post: Any) -> None:
    catastrophic_rule(kind="banned")
    comment = post(HOSTILE_BODY)
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert comment.status == "pending"
    assert comment.moderation["rule"] == "rule_timeout"


def test_a_rule_that_matches_still_wins_over_one_that_timed_out(post: Any) -> None:
    catastrophic_rule()
    WordRule.objects.create(kind="banned", pattern="casino")
    with pytest.raises(ApiError) as refused:
        post("casino " + HOSTILE_BODY)
    assert refused.value.code == "rejected"


def test_the_same_rule_lets_ordinary_comments_through(post: Any) -> None:
    catastrophic_rule()
    # The rule is checked against the name too, and a name ending in "a" (the default "Ada") matches it.
    comment = post("The council meets on Thursday to discuss the reservoir.", name="Omar K.")
    assert comment.status == "approved"


def test_the_timeout_is_logged_with_the_rule_not_the_comment(
    post: Any, caplog: pytest.LogCaptureFixture
) -> None:
    rule = catastrophic_rule()
    with caplog.at_level(logging.WARNING, logger="masthead.moderation"):
        post(HOSTILE_BODY)
    messages = [record.getMessage() for record in caplog.records]
    assert any(f"Word rule #{rule.pk} timed out" in message for message in messages)
    assert not any(HOSTILE_BODY[:100] in message for message in messages)


def test_the_comment_budget_stops_every_slow_rule_after_it_is_spent(
    post: Any, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # Each rule alone could run for a long time; the comment's budget cuts them all short.
    settings.MASTHEAD_MODERATION = {"REGEX_TIMEOUT": 30.0, "REGEX_BUDGET": 0.05}
    rules = [
        catastrophic_rule(pattern=pattern) for pattern in (CATASTROPHIC, r"(a|a)+$", r"(\w+\s?)+$")
    ]
    with caplog.at_level(logging.WARNING, logger="masthead.moderation"):
        comment = post(HOSTILE_BODY)
    assert comment.status == "pending"
    assert comment.moderation["rule"] == "rule_timeout"
    logged = " ".join(record.getMessage() for record in caplog.records)
    for rule in rules:
        assert f"Word rule #{rule.pk} timed out" in logged


def test_an_approved_comment_edited_into_hostile_text_goes_back_to_the_queue(post: Any) -> None:
    from masthead.discussion.actions import edit_comment

    author = guest_actor()
    comment = post("A calm remark about the bridge repairs.", actor=author)
    assert comment.status == "approved"
    catastrophic_rule()
    edited = edit_comment(author, comment, HOSTILE_BODY)
    assert edited.status == "pending"
    assert edited.moderation["rule"] == "rule_timeout"


@pytest.mark.parametrize("name", ["xss.txt", "sqli.txt", "markdown-xss.txt"])
def test_hostile_strings_never_break_rule_matching(name: str) -> None:
    catastrophic_rule()
    WordRule.objects.create(kind="suspect", pattern=r"\bjava\s*script\b", is_regex=True)
    WordRule.objects.create(kind="suspect", pattern="alert")
    rules = current_rules()
    for text in hostile_strings(name):
        match = rules.match_words(text)
        assert match is None or match.kind in ("suspect", "timeout")


# --- validation when a moderator saves a rule ------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("(unclosed", "Not a valid regular expression"),
        (CATASTROPHIC, "takes too long"),
        (r"(\w+\s?)+$", "takes too long"),
        (r"x*", "matches empty text"),
    ],
)
def test_bad_patterns_are_explained(pattern: str, problem: str) -> None:
    assert problem in pattern_problem(pattern)


@pytest.mark.parametrize(
    "pattern", [r"\bcrypto\w*", r"(?:buy|cheap)\s+(?:pills|meds)", r"v[i1]agra", r"^spam$"]
)
def test_ordinary_patterns_pass_validation(pattern: str) -> None:
    assert pattern_problem(pattern) == ""


def admin_client(a_moderator: Any) -> Client:
    client = Client()
    client.force_login(a_moderator)
    return client


def test_the_admin_form_refuses_a_catastrophic_pattern_with_a_readable_error(
    a_moderator: Any,
) -> None:
    response = admin_client(a_moderator).post(
        reverse("moderation_words:add"),
        {"kind": "suspect", "pattern": CATASTROPHIC, "is_regex": "on", "is_enabled": "on"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert "takes too long" in response.content.decode()
    assert not WordRule.objects.exists()


def test_the_admin_form_refuses_a_pattern_that_does_not_compile(a_moderator: Any) -> None:
    response = admin_client(a_moderator).post(
        reverse("moderation_words:add"),
        {"kind": "banned", "pattern": "[abc", "is_regex": "on", "is_enabled": "on"},
    )
    assert response.status_code == 200
    assert "Not a valid regular expression" in response.content.decode()
    assert not WordRule.objects.exists()


def test_the_admin_form_saves_a_sound_pattern(a_moderator: Any) -> None:
    response = admin_client(a_moderator).post(
        reverse("moderation_words:add"),
        {"kind": "suspect", "pattern": r"\bcrypto\w*", "is_regex": "on", "is_enabled": "on"},
    )
    assert response.status_code == 302
    assert WordRule.objects.filter(pattern=r"\bcrypto\w*", is_regex=True).exists()


def test_a_plain_word_is_never_probed_as_a_pattern(a_moderator: Any) -> None:
    response = admin_client(a_moderator).post(
        reverse("moderation_words:add"),
        {"kind": "suspect", "pattern": "(a+)+$", "is_enabled": "on"},
    )
    assert response.status_code == 302
    assert WordRule.objects.filter(pattern="(a+)+$", is_regex=False).exists()
