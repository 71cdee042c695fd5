"""The classifier learns from moderators' decisions (a django-tasks task, on commit)."""

from __future__ import annotations

from typing import Any

import pytest

from masthead.moderation import actions, classifier
from masthead.moderation.dataset import labelled_comments
from masthead.moderation.models import ClassifierModel

pytestmark = pytest.mark.django_db


def test_a_spam_decision_trains_a_new_model_after_commit(
    post: Any, moderator_actor: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MASTHEAD_MODERATION = {"CLASSIFIER_SEED": False}
    ham = post("The bridge repairs are late again, the council should explain why.")
    spam = post("Cheap followers and crypto signals, message me now")
    with django_capture_on_commit_callbacks(execute=True):
        actions.mark_spam(moderator_actor, spam)
    model = ClassifierModel.objects.get()
    assert (model.spam_documents, model.ham_documents) == (1, 1)
    assert ham.status == "approved"
    # Training is debounced: a second decision inside the window does not retrain.
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve_comment(moderator_actor, ham)
    assert ClassifierModel.objects.count() == 1


def test_the_model_separates_the_bundled_set() -> None:
    model = classifier.train(
        [(classifier.features(b), s) for b, s in labelled_comments(400, seed=3)]
    )
    test = labelled_comments(200, seed=4)
    correct = sum((model.score(classifier.features(b)) >= 0.5) == s for b, s in test)
    assert correct / len(test) > 0.9


def test_moderation_tools_markup_is_the_same_for_every_reader(a_thread: Any) -> None:
    from django.template import Context, Template

    html = Template("{% load moderation_tags %}{% moderation_tools thread %}").render(
        Context({"thread": a_thread})
    )
    assert f'data-moderation-thread="{a_thread.pk}"' in html
    assert "article-tools.js" in html
