"""Fixtures for moderation tests: a poster of comments, an editor who is no moderator, a trained
classifier. (Moderators, readers and guests: tests/conftest.py and tests/helpers.py.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.helpers import GUEST_NAME, a_verified_user, guest_actor


@pytest.fixture
def post(a_thread: Any) -> Callable[..., Any]:
    """post(body, actor=None, thread=None, **fields) -> Comment, through discussion's real action."""
    from masthead.discussion.actions import post_comment
    from masthead.discussion.inputs import CommentInput

    def _post(body: str, actor: Any = None, thread: Any = None, **fields: Any) -> Any:
        actor = actor or guest_actor()
        fields.setdefault("name", GUEST_NAME)
        fields.setdefault("email", f"{actor.guest_key or 'member'}@example.com")
        fields.setdefault("seconds_to_submit", 30.0)
        return post_comment(actor, thread or a_thread, CommentInput(body=body, **fields))

    return _post


@pytest.fixture
def an_editor(db: Any) -> Any:
    """Staff with Wagtail's Editors group, but without the moderator permission."""
    from django.contrib.auth.models import Group

    user = a_verified_user("editor2", is_staff=True)
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        user.groups.add(editors)
    return user


@pytest.fixture
def seeded_classifier(db: Any) -> Any:
    """A model trained on a small slice of the bundled labelled set."""
    from masthead.moderation import classifier
    from masthead.moderation.dataset import labelled_comments
    from masthead.moderation.models import ClassifierModel

    model = classifier.train(
        [(classifier.features(body), is_spam) for body, is_spam in labelled_comments(300, seed=7)],
        version=1,
    )
    return ClassifierModel.objects.create(
        version=1,
        spam_documents=model.spam_documents,
        ham_documents=model.ham_documents,
        data=model.as_data(),
    )


def moderator_client(user: Any) -> Client:
    """A browser signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def decide(user: Any, comment_id: int, decision: str, reason: str = "Off-topic.") -> Any:
    """`user` takes a decision in the moderation queue (the API the queue page calls); it succeeds."""
    response = moderator_client(user).post(
        f"/api/v1/moderation/comments/{comment_id}/{decision}",
        {"reason": reason},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response
