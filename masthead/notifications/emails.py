"""Building the emails: a text and an HTML part from templates, unsubscribe links and RFC 8058 headers.

Comment text reaches an email only as a plain-text excerpt of its sanitised HTML, escaped by the HTML
template, so nothing a reader typed can become markup, a link or a header in the message.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from email.utils import make_msgid
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from masthead.notifications.conf import base_url, setting
from masthead.notifications.models import EmailAddress
from masthead.notifications.tokens import confirm_token, unsubscribe_token

_SPACES = re.compile(r"\s+")


def excerpt(comment_html: str, limit: int | None = None) -> str:
    """Plain text of a comment, cut at a word boundary."""
    limit = limit or int(setting("NOTIFICATIONS_EXCERPT_LENGTH"))  # type: ignore[call-overload]
    text = _SPACES.sub(" ", html.unescape(strip_tags(comment_html))).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" ,.;:") + "…"


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else base_url() + path


def page_url(page: Any) -> str:
    return absolute(page.get_url() or "/") if page is not None else base_url() + "/"


def message_id() -> str:
    domain = urlsplit(base_url()).hostname or "masthead.invalid"
    return make_msgid(domain=domain)


@dataclass
class Item:
    """One comment in a notification email."""

    author: str
    excerpt: str
    url: str
    is_reply: bool
    created_at: Any
    approve_url: str = ""
    remove_url: str = ""


def comment_item(comment: Any, page: Any, is_reply: bool) -> Item:
    return Item(
        author=comment.author_name or "A reader",
        excerpt=excerpt(comment.html or ""),
        url=f"{page_url(page)}#comment-{comment.pk}",
        is_reply=is_reply,
        created_at=comment.created_at,
    )


def _message(
    to: str, subject: str, template: str, context: dict[str, Any], headers: dict[str, str]
) -> EmailMultiAlternatives:
    context = {"site_name": settings.SITE_NAME, "site_url": base_url() + "/", **context}
    text = render_to_string(f"notifications/email/{template}.txt", context)
    body_html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=[to], headers={"Auto-Submitted": "auto-generated", **headers}
    )
    message.attach_alternative(body_html, "text/html")
    return message


@lru_cache(maxsize=8)
def _unsubscribe_url(base: str) -> str:
    return base + reverse("notifications:unsubscribe", args=["TOKEN"])


def unsubscribe_links(address: EmailAddress, thread_id: int | None) -> dict[str, str]:
    template = _unsubscribe_url(base_url())

    def link(thread: int | None) -> str:
        return template.replace("TOKEN", unsubscribe_token(address.pk, address.email, thread))

    links = {"unsubscribe_all_url": link(None)}
    links["unsubscribe_url"] = (
        link(thread_id) if thread_id is not None else links["unsubscribe_all_url"]
    )
    return links


def list_unsubscribe_headers(url: str, msgid: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Message-ID": msgid,
    }


def comments_email(
    address: EmailAddress, page: Any, thread_id: int, items: list[Item], msgid: str
) -> EmailMultiAlternatives:
    """A notification (one item) or a digest (several) about one thread."""
    return _comments_message(
        address.email, page, items, msgid, unsubscribe_links(address, thread_id)
    )


def _comments_message(
    to: str, page: Any, items: list[Item], msgid: str, links: dict[str, str]
) -> EmailMultiAlternatives:
    title = page.title if page is not None else _("a discussion")
    if len(items) > 1:
        subject = ngettext(
            "%(count)d new comment on “%(title)s”",
            "%(count)d new comments on “%(title)s”",
            len(items),
        ) % {"count": len(items), "title": title}
    elif items[0].is_reply:
        subject = _("New reply to your comment on “%(title)s”") % {"title": title}
    else:
        subject = _("New comment on “%(title)s”") % {"title": title}
    context = {
        "title": title,
        "article_url": page_url(page),
        "items": items,
        "is_digest": len(items) > 1,
        "manage_url": absolute(reverse("account:home") + "#subscriptions"),
        **links,
    }
    headers = list_unsubscribe_headers(links["unsubscribe_url"], msgid)
    return _message(to, subject, "comments", context, headers)


# A fan-out sends the same email to thousands of subscribers: it is rendered and serialised once
# with placeholders, and each copy only gets its recipient, Message-ID and unsubscribe links.
PLACEHOLDERS = {
    "to": "notify-recipient@masthead.invalid",
    "msgid": "<notify-message-id@masthead.invalid>",
    "unsubscribe_url": "https://unsubscribe-this.masthead.invalid/t/",
    "unsubscribe_all_url": "https://unsubscribe-all.masthead.invalid/a/",
}


@dataclass
class PreparedMessage:
    """One serialised email (CRLF line ends) with placeholders for what differs per recipient."""

    from_email: str
    raw: bytes
    thread_id: int | None

    def for_address(self, address: EmailAddress, msgid: str) -> bytes:
        links = unsubscribe_links(address, self.thread_id)
        raw = self.raw.replace(PLACEHOLDERS["to"].encode(), address.email.encode())
        raw = raw.replace(PLACEHOLDERS["msgid"].encode(), msgid.encode())
        for name in ("unsubscribe_url", "unsubscribe_all_url"):
            raw = raw.replace(PLACEHOLDERS[name].encode(), links[name].encode())
        return raw


def prepare_comments_email(page: Any, thread_id: int, items: list[Item]) -> PreparedMessage | None:
    """The email of `comments_email` with placeholders, or None when the body had to be encoded
    (quoted-printable/base64 would split the placeholders; the caller then renders per recipient)."""
    links = {name: PLACEHOLDERS[name] for name in ("unsubscribe_url", "unsubscribe_all_url")}
    message = _comments_message(PLACEHOLDERS["to"], page, items, PLACEHOLDERS["msgid"], links)
    raw = message.message().as_bytes(linesep="\r\n")  # type: ignore[call-arg]
    if b"quoted-printable" in raw or b"base64" in raw:
        return None
    if raw.count(PLACEHOLDERS["to"].encode()) != 1 or PLACEHOLDERS["msgid"].encode() not in raw:
        return None
    return PreparedMessage(message.from_email, raw, thread_id)


def moderation_email(
    address: EmailAddress, items: list[Item], msgid: str, queue_url: str = ""
) -> EmailMultiAlternatives:
    count = len(items)
    subject = ngettext(
        "%(count)d comment waiting for moderation",
        "%(count)d comments waiting for moderation",
        count,
    ) % {"count": count}
    links = unsubscribe_links(address, None)
    queue_url = queue_url or absolute("/admin/")
    context = {"items": items, "queue_url": queue_url, **links}
    headers = list_unsubscribe_headers(links["unsubscribe_all_url"], msgid)
    return _message(address.email, subject, "moderation", context, headers)


def confirmation_email(address: EmailAddress, titles: list[str]) -> EmailMultiAlternatives:
    token = confirm_token(address.pk, address.email)
    context = {
        "confirm_url": absolute(reverse("notifications:confirm", args=[token])),
        "titles": titles,
        "max_age_days": max(1, int(setting("NOTIFICATIONS_CONFIRM_MAX_AGE")) // 86400),  # type: ignore[call-overload]
    }
    return _message(
        address.email,
        _("Confirm your email for %(site)s notifications") % {"site": settings.SITE_NAME},
        "confirm",
        context,
        {"Message-ID": message_id()},
    )
