"""A local naive Bayes spam classifier over folded tokens and metadata; no network, no numpy.

Each document is a set of features (each counted once): folded words, word pairs, and metadata tokens
(link count, link domains, obfuscated links, mixed scripts, shouting, length). Training counts, per
class, how many documents hold each feature; scoring sums log-likelihood ratios with Laplace smoothing
and equal priors, then squashes to a probability. The model is a JSON row (`ClassifierModel`), trained
by `tasks.train_classifier` from moderators' spam / approve decisions.
"""

from __future__ import annotations

import itertools
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from masthead.core import cache_versions
from masthead.moderation.links import Link, extract_links
from masthead.moderation.normalise import fold, has_mixed_script_word

NAME = "naive-bayes"
FEATURES_VERSION = 1
MAX_VOCABULARY = 30_000
LATEST_KEY = "moderation:classifier:latest"
CLASSIFIER_VERSION = ("moderation", "classifier")
_WORD = re.compile(r"[a-z][a-z0-9']{1,24}")


def features(
    body: str, *, name: str = "", website: str = "", links: list[Link] | None = None
) -> set[str]:
    folded = fold(body)
    words = _WORD.findall(folded)
    found = set(words)
    found.update(f"{a}_{b}" for a, b in itertools.pairwise(words))
    if links is None:
        links = extract_links(body)
    found.add(f"__links:{min(len(links), 4)}")
    for link in links:
        found.add("__domain:" + ".".join(link.host.rsplit(".", 2)[-2:]))
        found.add("__tld:" + link.host.rsplit(".", 1)[-1])
        if link.obfuscated:
            found.add("__obfuscated_link")
    if has_mixed_script_word(body):
        found.add("__mixed_script")
    letters = [char for char in body if char.isalpha()]
    if len(letters) > 12 and sum(char.isupper() for char in letters) / len(letters) > 0.5:
        found.add("__shouting")
    if body.count("!") >= 3:
        found.add("__exclamations")
    found.add(f"__length:{min(len(body) // 100, 10)}")
    if website:
        found.add("__has_website")
    return found


@dataclass
class Model:
    version: int
    spam_documents: int
    ham_documents: int
    spam: dict[str, int]
    ham: dict[str, int]

    def score(self, doc: Iterable[str]) -> float:
        """Probability that the document is spam (equal priors)."""
        log_odds = 0.0
        spam_total = self.spam_documents + 2
        ham_total = self.ham_documents + 2
        for feature in doc:
            spam_count = self.spam.get(feature)
            ham_count = self.ham.get(feature)
            if spam_count is None and ham_count is None:
                continue
            log_odds += math.log(((spam_count or 0) + 1) / spam_total) - math.log(
                ((ham_count or 0) + 1) / ham_total
            )
        log_odds = max(-30.0, min(30.0, log_odds))
        return 1.0 / (1.0 + math.exp(-log_odds))

    def as_data(self) -> dict[str, Any]:
        return {"features_version": FEATURES_VERSION, "spam": self.spam, "ham": self.ham}


def train(documents: Iterable[tuple[set[str], bool]], version: int = 0) -> Model:
    """Count features per class; keep the MAX_VOCABULARY most frequent ones."""
    spam: Counter[str] = Counter()
    ham: Counter[str] = Counter()
    spam_documents = ham_documents = 0
    for doc, is_spam in documents:
        if is_spam:
            spam.update(doc)
            spam_documents += 1
        else:
            ham.update(doc)
            ham_documents += 1
    total = spam + ham
    # A feature seen once says little and bloats the model.
    keep = {feature for feature, count in total.most_common(MAX_VOCABULARY) if count >= 2}
    return Model(
        version=version,
        spam_documents=spam_documents,
        ham_documents=ham_documents,
        spam={key: value for key, value in spam.items() if key in keep},
        ham={key: value for key, value in ham.items() if key in keep},
    )


_lock = threading.Lock()
_cached: dict[str, Any] = {"id": None, "model": None}


def active_model() -> Model | None:
    """The newest stored model, loaded once per version in this process."""
    from masthead.moderation.models import ClassifierModel

    # Under the classifier's version counter (bumped when a model is stored): with Redis each process
    # keeps what it read until the next bump, so a post asks nothing of the cache here.
    key = f"{LATEST_KEY}:{cache_versions.versions([CLASSIFIER_VERSION])[0]}"
    latest = cache_versions.get_versioned(key)
    if latest is None:
        # The training time is part of the identity: a rolled-back row's id can be reused.
        found = ClassifierModel.objects.order_by("-version").values_list("pk", "trained_at").first()
        latest = tuple(found) if found is not None else ()  # () remembers "no model yet" as well
        cache_versions.set_versioned(key, latest, 60)
    if not latest:
        return None
    if _cached["id"] != latest:
        row = ClassifierModel.objects.filter(pk=latest[0]).first()
        if row is None:
            cache_versions.bump_now(*CLASSIFIER_VERSION)
            return None
        model = Model(
            version=row.version,
            spam_documents=row.spam_documents,
            ham_documents=row.ham_documents,
            spam=row.data.get("spam", {}),
            ham=row.data.get("ham", {}),
        )
        with _lock:
            _cached.update(id=latest, model=model)
    return _cached["model"]
