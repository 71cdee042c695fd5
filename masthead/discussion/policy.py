"""Discussion policy as data: site defaults in one Wagtail setting, overridable per section and article.

`effective_policy(page)` resolves each value article > section > site and returns a frozen `Policy`;
everything else asks `thread_policy(thread)` or `cached_policy(page)`, which cache it until it changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from masthead.core.hooks import THREAD_POLICY, resolved

# Stored untranslated as the setting's default; shown in the page's language while unchanged.
DEFAULT_INTRO = gettext_noop("Would love your thoughts, please comment.")


class Premoderation(models.TextChoices):
    NONE = "none", _("None: comments appear at once")
    FIRST_TIME = "first_time", _("First-time commenters wait for approval")
    ALL = "all", _("Every comment waits for approval")


class VotesMode(models.TextChoices):
    UP_DOWN = "updown", _("Up and down votes")
    LIKES = "likes", _("Likes only (up votes)")


class WhoMayComment(models.TextChoices):
    EVERYONE = "everyone", _("Everyone, guests included")
    SIGNED_IN = "signed_in", _("Signed-in readers only")
    SUPPORTERS = (
        "supporters",
        _("Supporters only: signed-in readers with an active monthly donation"),
    )


class TranslationThreads(models.TextChoices):
    OWN = "own", "Each translation has its own discussion, with a link to the original's"
    SHARED = "shared", "Translations show and add to the original's discussion"


@register_setting(icon="comment")
class DiscussionSettings(BaseSiteSetting):
    """Site-wide discussion defaults; sections and articles may override open/closed, auto-close and pre-moderation."""

    intro_text = models.CharField(max_length=200, default=DEFAULT_INTRO)
    comments_open = models.BooleanField(default=True, help_text=_("Readers may comment."))
    auto_close_days = models.PositiveIntegerField(
        default=0,
        help_text=_("Close discussions this many days after publication; 0 never closes."),
    )
    premoderation = models.CharField(
        max_length=12, choices=Premoderation.choices, default=Premoderation.NONE
    )
    edit_window_minutes = models.PositiveIntegerField(default=15)
    max_length = models.PositiveIntegerField(default=5000, help_text=_("Characters per comment."))
    display_depth = models.PositiveIntegerField(
        default=4,
        help_text=_("Nesting levels shown; deeper replies are shown flat at the last level."),
    )
    page_size = models.PositiveIntegerField(default=20, help_text=_("Top-level comments per page."))
    reply_window = models.PositiveIntegerField(
        default=5, help_text=_("Replies shown under a comment before 'show N more replies'.")
    )
    email_required = models.BooleanField(default=True)
    require_registration = models.BooleanField(
        default=False, help_text=_("Older form of 'who may comment: signed-in readers'.")
    )
    who_may_comment = models.CharField(
        max_length=12,
        choices=WhoMayComment.choices,
        default=WhoMayComment.EVERYONE,
        help_text=_("Sections and articles may override this."),
    )
    votes_mode = models.CharField(
        max_length=8, choices=VotesMode.choices, default=VotesMode.UP_DOWN
    )
    gravatar = models.BooleanField(
        default=False,
        help_text=_("Show Gravatar images (sends a hash of the email to gravatar.com)."),
    )
    live_updates = models.BooleanField(
        default=True,
        help_text=_(
            "Open article pages show new comments, votes and edits as they happen; sections and "
            "articles may override this. Discussions quiet for two weeks are not followed live."
        ),
    )
    translation_threads = models.CharField(
        "discussion of translations",
        max_length=8,
        choices=TranslationThreads.choices,
        default=TranslationThreads.OWN,
        help_text="Whether a translated article (e.g. /ar/...) has its own comments or shows its original's.",
    )

    class Meta:
        verbose_name = "discussion settings"


@dataclass(frozen=True)
class Policy:
    mode: str  # "open" | "closed" | "hidden"
    premoderation: str
    auto_close_days: int
    intro_text: str = DEFAULT_INTRO
    edit_window: timedelta = timedelta(minutes=15)
    max_length: int = 5000
    display_depth: int = 4
    page_size: int = 20
    reply_window: int = 5
    email_required: bool = True
    require_registration: bool = False  # anyone but guests: who_may_comment is not everyone
    who_may_comment: str = WhoMayComment.EVERYONE
    votes_mode: str = VotesMode.UP_DOWN
    gravatar: bool = False
    inline_highlights: bool = False
    # Open pages follow the discussion live (core/events.py, discussion/events.py).
    live: bool = True
    closes_at: Any = None  # datetime when auto-close applies

    @property
    def shown_intro(self) -> str:
        """The intro above the comment form: the default one in the page's language, or the
        editors' own words as they wrote them."""
        return gettext(DEFAULT_INTRO) if self.intro_text == DEFAULT_INTRO else self.intro_text

    @property
    def is_hidden(self) -> bool:
        return self.mode == "hidden"

    @property
    def is_open(self) -> bool:
        """Open for new comments and votes now (mode open and not past the auto-close date)."""
        if self.mode != "open":
            return False
        return self.closes_at is None or timezone.now() < self.closes_at

    @property
    def supporters_only(self) -> bool:
        return self.who_may_comment == WhoMayComment.SUPPORTERS

    @property
    def likes_only(self) -> bool:
        return self.votes_mode == VotesMode.LIKES


def site_settings(page: Any = None) -> DiscussionSettings:
    from wagtail.models import Site

    site = page.get_site() if page is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    if site is None:
        return DiscussionSettings()
    return DiscussionSettings.for_site(site)


def effective_policy(page: Any) -> Policy:
    """The discussion policy of `page`: the article's override, else its section's, else the site's.
    `page` None is an external page's discussion (an imported thread kept by its URL): the site's."""
    chain: list[Any] = []
    if page is not None:
        page = page.specific
        parent = page.get_parent()
        chain = [page, parent.specific if parent is not None else None]
    site = site_settings(page)

    def pick(attribute: str, default: Any, empty: Any = "") -> Any:
        for item in chain:
            value = getattr(item, attribute, empty) if item is not None else empty
            if value != empty and value is not None:
                return value
        return default

    mode = pick("comments_mode", "open" if site.comments_open else "closed")
    premoderation = pick("comments_premoderation", site.premoderation)
    auto_close = int(pick("comments_auto_close_days", site.auto_close_days, empty=None))
    site_who = site.who_may_comment
    if site.require_registration and site_who == WhoMayComment.EVERYONE:
        site_who = WhoMayComment.SIGNED_IN
    who = pick("comments_who", site_who)
    published = getattr(page, "first_published_at", None)
    closes_at = published + timedelta(days=auto_close) if auto_close and published else None
    return Policy(
        mode=mode,
        premoderation=premoderation,
        auto_close_days=auto_close,
        intro_text=site.intro_text,
        edit_window=timedelta(minutes=site.edit_window_minutes),
        max_length=site.max_length,
        display_depth=max(1, site.display_depth),
        page_size=max(1, site.page_size),
        reply_window=max(1, site.reply_window),
        email_required=site.email_required,
        require_registration=who != WhoMayComment.EVERYONE,
        who_may_comment=who,
        votes_mode=site.votes_mode,
        gravatar=site.gravatar,
        inline_highlights=pick("inline_highlights", "off") == "on",
        live=pick("comments_live", "on" if site.live_updates else "off") == "on",
        closes_at=closes_at,
    )


POLICY_CACHE_SECONDS = 300


def policy_for(page_id: int | None, load_page: Callable[[], Any], stamp: str = "") -> Policy:
    """`effective_policy` of the page `page_id`, from the cache while nothing it is made of changed.

    The key carries the site's ("publishing", "") version, which is bumped on commit whenever a page
    (the article or its section) is published, unpublished or moved, a view restriction changes, or the
    discussion settings are saved, so reads and writes both see a change at once. `load_page` is only
    called on a miss, so a cached post or read needs no page query at all.
    """
    from masthead.core import cache_versions

    (version,) = cache_versions.versions([("publishing", "")])
    key = f"disc:policy:{page_id}:{version}:{stamp}"
    policy = cache_versions.get_versioned(key)
    if policy is None:
        policy = effective_policy(load_page())
        cache_versions.set_versioned(key, policy, POLICY_CACHE_SECONDS)
    return policy


def cached_policy(page: Any) -> Policy:
    """`policy_for` a page in hand (its live revision is part of the key too: free to check)."""
    published = getattr(page, "last_published_at", None)
    stamp = f"{getattr(page, 'live_revision_id', '')}:{published.timestamp() if published else 0}"
    return policy_for(page.pk, lambda: page, stamp)


def thread_policy(thread: Any) -> Policy:
    """`policy_for` a discussion thread's page (loaded only when the policy is not cached); the
    site's policy for an external page's thread, as THREAD_POLICY hooks adjust it (an embedding
    site's own policy)."""
    if thread.page_id is None:
        policy = policy_for(None, lambda: None)
        for adjust in resolved(THREAD_POLICY):
            policy = adjust(thread, policy)
        return policy
    return policy_for(thread.page_id, lambda: thread.page)
