"""The words of the embed (static/embed/embed.js), translated on the server.

The embed runs on other sites, without Django's JavaScript catalog: the first answer of a discussion
(and of a support block) carries `embed_strings()` in the reader's language, and the script fills in
`{name}` and `{n}` itself. Sentences are whole strings, so a translation may put the name or the
number wherever its grammar wants it. The script keeps an English copy of each text for a key the
server does not send.
"""

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy, ngettext_lazy, to_locale

# Several texts reuse a message of the news site's own discussion or funding pages, word for word,
# so their translations already exist.
STRINGS: dict[str, Promise] = {
    # Discussion: heading, sorting, states.
    "comments_heading": gettext_lazy("Comments"),
    "sort_label": gettext_lazy("Sort comments"),
    "sort_newest": gettext_lazy("Newest"),
    "sort_oldest": gettext_lazy("Oldest"),
    "sort_votes": gettext_lazy("Most voted"),
    "empty": gettext_lazy("No comments yet. Start the conversation."),
    "closed": gettext_lazy("Comments are closed for this article."),
    "load_more": gettext_lazy("Load more comments"),
    "open_discussion": gettext_lazy("Open the full discussion"),
    "error_generic": gettext_lazy("Something went wrong; please try again."),
    # One comment.
    "staff": gettext_lazy("Staff"),
    "supporter": gettext_lazy("Supporter"),
    "pinned": gettext_lazy("Pinned"),
    "edited": gettext_lazy("edited"),
    "awaiting_moderation": gettext_lazy("Awaiting moderation"),
    "deleted": gettext_lazy("This comment was deleted."),
    "replying_to": gettext_lazy("Replying to {name}"),
    "reply": gettext_lazy("Reply"),
    "upvote": gettext_lazy("Upvote"),
    "downvote": gettext_lazy("Downvote"),
    "like": gettext_lazy("Like"),
    "edit": gettext_lazy("Edit"),
    "edit_label": gettext_lazy("Edit your comment"),
    "save": gettext_lazy("Save"),
    "cancel": gettext_lazy("Cancel"),
    "delete": gettext_lazy("Delete"),
    "delete_confirm": gettext_lazy("Delete this comment?"),
    # The form.
    "body_label": gettext_lazy("Your comment"),
    "body_placeholder": gettext_lazy("Join the discussion…"),
    "body_required": gettext_lazy("Please write a comment."),
    "name": gettext_lazy("Name"),
    "email": gettext_lazy("Email"),
    "email_hint": gettext_lazy("Never shown"),
    "post": gettext_lazy("Post comment"),
    "posting": gettext_lazy("Posting…"),
    "posted": gettext_lazy("Thank you! Your comment was posted."),
    "posted_pending": gettext_lazy("Thank you! Your comment is awaiting moderation."),
    # Who is commenting.
    "sign_in": gettext_lazy("Sign in"),
    "sign_out": gettext_lazy("Sign out"),
    "commenting_as": gettext_lazy("Commenting as {name}"),
    "signin_required": gettext_lazy("Please sign in to comment."),
    "supporters_only": gettext_lazy(
        "Comments here are open to supporters: readers who give monthly."
    ),
    # Support block.
    "raised": gettext_lazy("{raised} raised of {goal} goal"),
    "progress_label": gettext_lazy("{title}: money raised"),
    "donate": gettext_lazy("Donate"),
    "campaign_ended": gettext_lazy("Campaign ended"),
}

# Texts with a number: each is sent once per plural category of the reader's language, as
# "<key>_<category>" ("new_one", "new_few", "new_many", "new_other"...), and the script picks the
# category with Intl.PluralRules. "<key>_many" is always sent: the general plural in languages
# without a "many" category.
PLURALS: dict[str, Promise] = {
    "new": ngettext_lazy("{n} new comment — show", "{n} new comments — show"),
    "new_announce": ngettext_lazy("{n} new comment", "{n} new comments"),
    "count": ngettext_lazy("{n} comment", "{n} comments"),
    "donors": ngettext_lazy("{n} donor", "{n} donors"),
}


@lru_cache(maxsize=64)
def plural_samples(language: str) -> dict[str, int]:
    """A whole number of each CLDR plural category of `language` ({'one': 1, 'other': 2}).

    Gettext chooses a form by number, the browser by category: translating each text for one
    number of each category gives the script every form it may need.
    """
    try:
        rule = Locale.parse(to_locale(language)).plural_form
    except (UnknownLocaleError, ValueError):
        rule = Locale("en").plural_form
    samples: dict[str, int] = {}
    # Zero last: French counts it as "one", and 1 is the better example of that category.
    for number in (*range(1, 201), 0):
        samples.setdefault(rule(number), number)
    return samples


def embed_strings() -> dict[str, str]:
    """Every text of the embed in the active language, by key."""
    strings = {key: str(text) for key, text in STRINGS.items()}
    samples = plural_samples(get_language() or "en")
    for key, text in PLURALS.items():
        # `%` with a number picks that number's form; the "{n}" placeholder stays for the script.
        forms = {category: str(text % number) for category, number in samples.items()}
        forms.setdefault("many", forms.get("other", str(text % 2)))
        strings.update({f"{key}_{category}": form for category, form in forms.items()})
    return strings
