"""Moderation settings with their defaults; override any key in `MASTHEAD_MODERATION` (settings).

| key | default | meaning |
|---|---|---|
| MAX_LINKS | 2 | more links than this hold a comment for review |
| FIRST_TIME_APPROVALS | 1 | trust an author needs before "first_time" pre-moderation lets them through |
| REPORT_THRESHOLD | 3 | distinct readers whose reports hide a comment pending review |
| SPAM_PENDING_SCORE | 0.6 | combined spam score from which a comment waits for review |
| SPAM_SCORE | 0.9 | combined spam score from which a comment is filed as spam |
| MIN_SECONDS_TO_SUBMIT | 3 | faster form submissions look automated |
| BURST_COMMENTS | 5 | comments from one address in BURST_SECONDS that look like a flood |
| BURST_SECONDS | 600 | |
| DUPLICATE_HOURS | 24 | the same body in another thread within this window is a spam signal |
| VOTE_BURST_RATE | "30/m" | votes per network (IPv4 /24, IPv6 /56) |
| ONE_CLICK_HOURS | 72 | lifetime of the approve/reject links in moderator emails |
| CLASSIFIER | True | use the local naive Bayes classifier in the spam score |
| QUEUE_PAGE_SIZE | 50 | rows per page in the admin queue |
| TRAIN_DEBOUNCE_SECONDS | 300 | at most one classifier training per window after decisions |
| CLASSIFIER_SEED | True | train on the bundled labelled set too, so a new site has a model on day one |
| REGEX_TIMEOUT | 0.05 | seconds one regular-expression word rule may run on one text before it counts as timed out |
| REGEX_BUDGET | 0.25 | seconds all regular-expression word rules together may run on one comment |
| AKISMET_TIMEOUT | 2.0 | seconds to wait for the Akismet-compatible provider (settings MASTHEAD_AKISMET_KEY/URL) |
| AKISMET_SPAM_SIGNAL | 0.9 | weight of the provider's "spam" in the spam score ("discard" weighs 1.0) |
| AKISMET_KEEP_DAYS | 30 | days the data sent to the provider (with the raw address) is kept for feedback |
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "MAX_LINKS": 2,
    "FIRST_TIME_APPROVALS": 1,
    "REPORT_THRESHOLD": 3,
    "SPAM_PENDING_SCORE": 0.6,
    "SPAM_SCORE": 0.9,
    "MIN_SECONDS_TO_SUBMIT": 3.0,
    "BURST_COMMENTS": 5,
    "BURST_SECONDS": 600,
    "DUPLICATE_HOURS": 24,
    "VOTE_BURST_RATE": "30/m",
    "ONE_CLICK_HOURS": 72,
    "CLASSIFIER": True,
    "QUEUE_PAGE_SIZE": 50,
    "TRAIN_DEBOUNCE_SECONDS": 300,
    "CLASSIFIER_SEED": True,
    "REGEX_TIMEOUT": 0.05,
    "REGEX_BUDGET": 0.25,
    "AKISMET_TIMEOUT": 2.0,
    "AKISMET_SPAM_SIGNAL": 0.9,
    "AKISMET_KEEP_DAYS": 30,
}


def setting(name: str) -> Any:
    overrides = getattr(settings, "MASTHEAD_MODERATION", {}) or {}
    return overrides.get(name, DEFAULTS[name])
