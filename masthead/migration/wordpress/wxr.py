"""A streaming reader of WordPress eXtended RSS (WXR 1.0-1.2), the file Tools -> Export writes.

`read_wxr(path)` yields plain records in document order: one `WxrChannel` (the site), then its
`WxrAuthor`s and `WxrTerm`s, then one `WxrItem` per post, page or attachment with its comments and
meta. Each element is cleared once read, so memory stays flat whatever the file's size.

The parser never resolves entities, never touches the network and refuses any DOCTYPE: a WXR file
has none, and a DTD is how XML bombs and external entities get in. Every problem with the input
(not XML, truncated, invalid UTF-8, not a WordPress export) is one `SourceError` with one line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

from masthead.migration.sources import SourceError

WP_NAMESPACE_PREFIX = "http://wordpress.org/export/"
NAMESPACE_KINDS = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
SUPPORTED_VERSIONS = {"1.0", "1.1", "1.2"}
# Elements read whole and then cleared; everything else at channel level is a plain field.
RECORD_TAGS = {"item", "wp:author", "wp:category", "wp:tag", "wp:term"}


@dataclass(slots=True)
class WxrChannel:
    title: str
    link: str
    base_site_url: str
    base_blog_url: str
    wxr_version: str


@dataclass(slots=True)
class WxrAuthor:
    author_id: str
    login: str
    email: str
    display_name: str
    first_name: str = ""
    last_name: str = ""


@dataclass(slots=True)
class WxrTerm:
    taxonomy: str  # "category", "post_tag" or another taxonomy's name
    slug: str
    name: str
    parent: str = ""
    term_id: str = ""
    description: str = ""


@dataclass(slots=True)
class WxrComment:
    comment_id: str
    parent_id: str
    author: str
    author_email: str
    author_url: str
    author_ip: str
    date: str
    date_gmt: str
    content: str
    approved: str
    comment_type: str
    user_id: str
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class WxrItem:
    post_id: str
    post_type: str
    title: str
    link: str
    creator: str
    content: str
    excerpt: str
    post_name: str
    status: str
    post_date: str
    post_date_gmt: str
    post_parent: str
    is_sticky: bool
    comment_status: str
    attachment_url: str
    # (taxonomy, slug, name) in the export's order.
    terms: list[tuple[str, str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[WxrComment] = field(default_factory=list)


WxrRecord = WxrChannel | WxrAuthor | WxrTerm | WxrItem


@lru_cache(maxsize=512)
def key(tag: object) -> str:
    """`{http://wordpress.org/export/1.2/}post_id` -> "wp:post_id"; RSS's own tags stay bare."""
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    if not tag.startswith("{"):
        return tag
    namespace, _, local = tag[1:].partition("}")
    if namespace.startswith(WP_NAMESPACE_PREFIX):
        return f"excerpt:{local}" if namespace.endswith("/excerpt/") else f"wp:{local}"
    kind = NAMESPACE_KINDS.get(namespace)
    return f"{kind}:{local}" if kind else f"?:{local}"


def parse_gmt(value: str) -> dt.datetime | None:
    """WordPress's `YYYY-MM-DD HH:MM:SS` in UTC; None for its empty date (drafts: all zeros)."""
    value = value.strip()
    if not value or value.startswith("0000"):
        return None
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def _fields(element: etree._Element) -> dict[str, str]:
    """The element's single-valued children as {key: text}."""
    return {key(child.tag): (child.text or "") for child in element}


def _meta(element: etree._Element) -> tuple[str, str]:
    values = _fields(element)
    return values.get("wp:meta_key", ""), values.get("wp:meta_value", "")


def _comment(element: etree._Element) -> WxrComment:
    values: dict[str, str] = {}
    meta: dict[str, str] = {}
    for child in element:
        name = key(child.tag)
        if name == "wp:commentmeta":
            meta_key, meta_value = _meta(child)
            meta[meta_key] = meta_value
        else:
            values[name] = child.text or ""
    return WxrComment(
        comment_id=values.get("wp:comment_id", "").strip(),
        parent_id=values.get("wp:comment_parent", "0").strip() or "0",
        author=values.get("wp:comment_author", ""),
        author_email=values.get("wp:comment_author_email", "").strip(),
        author_url=values.get("wp:comment_author_url", "").strip(),
        author_ip=values.get("wp:comment_author_IP", "").strip(),
        date=values.get("wp:comment_date", ""),
        date_gmt=values.get("wp:comment_date_gmt", ""),
        content=values.get("wp:comment_content", ""),
        approved=values.get("wp:comment_approved", "1").strip(),
        comment_type=values.get("wp:comment_type", "").strip() or "comment",
        user_id=values.get("wp:comment_user_id", "0").strip() or "0",
        meta=meta,
    )


def _item(element: etree._Element, with_comments: bool = True) -> WxrItem:
    values: dict[str, str] = {}
    item = WxrItem(
        post_id="",
        post_type="",
        title="",
        link="",
        creator="",
        content="",
        excerpt="",
        post_name="",
        status="",
        post_date="",
        post_date_gmt="",
        post_parent="0",
        is_sticky=False,
        comment_status="",
        attachment_url="",
    )
    for child in element:
        name = key(child.tag)
        if name == "category":
            item.terms.append(
                (child.get("domain", "category"), child.get("nicename", ""), child.text or "")
            )
        elif name == "wp:postmeta":
            meta_key, meta_value = _meta(child)
            item.meta[meta_key] = meta_value
        elif name == "wp:comment":
            if with_comments:
                item.comments.append(_comment(child))
        else:
            values[name] = child.text or ""
    item.post_id = values.get("wp:post_id", "").strip()
    item.post_type = values.get("wp:post_type", "post").strip()
    item.title = values.get("title", "")
    item.link = values.get("link", "").strip()
    item.creator = values.get("dc:creator", "").strip()
    item.content = values.get("content:encoded", "")
    item.excerpt = values.get("excerpt:encoded", "")
    item.post_name = values.get("wp:post_name", "").strip()
    item.status = values.get("wp:status", "").strip()
    item.post_date = values.get("wp:post_date", "").strip()
    item.post_date_gmt = values.get("wp:post_date_gmt", "").strip()
    item.post_parent = values.get("wp:post_parent", "0").strip() or "0"
    item.is_sticky = values.get("wp:is_sticky", "0").strip() == "1"
    item.comment_status = values.get("wp:comment_status", "").strip()
    item.attachment_url = values.get("wp:attachment_url", "").strip()
    return item


def _author(element: etree._Element) -> WxrAuthor:
    values = _fields(element)
    return WxrAuthor(
        author_id=values.get("wp:author_id", "").strip(),
        login=values.get("wp:author_login", "").strip(),
        email=values.get("wp:author_email", "").strip(),
        display_name=values.get("wp:author_display_name", "").strip(),
        first_name=values.get("wp:author_first_name", "").strip(),
        last_name=values.get("wp:author_last_name", "").strip(),
    )


def _term(name: str, element: etree._Element) -> WxrTerm:
    values = _fields(element)
    term_id = values.get("wp:term_id", "").strip()
    if name == "wp:category":
        return WxrTerm(
            "category",
            values.get("wp:category_nicename", ""),
            values.get("wp:cat_name", ""),
            values.get("wp:category_parent", ""),
            term_id,
            values.get("wp:category_description", ""),
        )
    if name == "wp:tag":
        return WxrTerm(
            "post_tag", values.get("wp:tag_slug", ""), values.get("wp:tag_name", ""), "", term_id
        )
    return WxrTerm(
        values.get("wp:term_taxonomy", ""),
        values.get("wp:term_slug", ""),
        values.get("wp:term_name", ""),
        values.get("wp:term_parent", ""),
        term_id,
        values.get("wp:term_description", ""),
    )


def read_wxr(path: Path, *, with_comments: bool = True) -> Iterator[WxrRecord]:
    """Yield the export's records in document order; `SourceError` on anything unreadable.

    `with_comments=False` leaves each item's comments unread (a pass for authors and media)."""
    name = path.name
    try:
        handle = path.open("rb")
    except OSError as error:
        raise SourceError(f"{name}: cannot be read ({error.strerror or error})") from None
    with handle:
        if not handle.read(1):
            raise SourceError(f"{name}: is empty")
        handle.seek(0)
        yield from _records(handle, name, with_comments)


def _records(handle: object, name: str, with_comments: bool = True) -> Iterator[WxrRecord]:
    parser = etree.iterparse(
        handle,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    channel: dict[str, str] = {}
    channel_sent = False
    depth = 0
    record_depth: int | None = None
    try:
        for event, element in parser:
            if event == "start":
                depth += 1
                if depth == 1:
                    if element.getroottree().docinfo.doctype:
                        raise SourceError(
                            f"{name}: has a DOCTYPE; a WordPress export never does, and DTDs "
                            "(entities, XML bombs) are refused"
                        )
                    if key(element.tag) != "rss":
                        raise SourceError(
                            f"{name}: is not a WordPress export (WXR): its root element is "
                            f"<{etree.QName(element).localname}>, not <rss>"
                        )
                elif record_depth is None and key(element.tag) in RECORD_TAGS:
                    record_depth = depth
                continue
            depth -= 1
            tag = key(element.tag)
            if record_depth is not None and depth + 1 > record_depth:
                continue  # a field inside a record: read when the record ends
            if record_depth is not None and depth + 1 == record_depth:
                record_depth = None
                if not channel_sent:
                    yield _channel(channel, name)
                    channel_sent = True
                if tag == "item":
                    yield _item(element, with_comments)
                elif tag == "wp:author":
                    yield _author(element)
                else:
                    yield _term(tag, element)
                _forget(element)
            elif depth == 2:  # a channel field such as <title> or <wp:base_site_url>
                channel.setdefault(tag, (element.text or "").strip())
                _forget(element)
    except etree.XMLSyntaxError as error:
        message = (str(error.msg or error).splitlines() or ["unreadable"])[0]
        if "line" not in message and error.position:
            message = f"{message}, line {error.position[0]}"
        hint = " (the file looks truncated)" if _looks_truncated(message) else ""
        if "encoding" in message.lower():
            hint = " (the file is not valid UTF-8)"
        raise SourceError(f"{name}: not well-formed XML: {message}{hint}") from None
    except (UnicodeDecodeError, ValueError, LookupError) as error:
        raise SourceError(f"{name}: cannot be read as XML: {error}") from None
    if not channel_sent:
        yield _channel(channel, name)


def _channel(values: dict[str, str], name: str) -> WxrChannel:
    version = values.get("wp:wxr_version", "")
    if not version:
        raise SourceError(
            f"{name}: is not a WordPress export (WXR): it has no <wp:wxr_version> "
            "(an RSS feed is not an export; use Tools -> Export in WordPress)"
        )
    if version not in SUPPORTED_VERSIONS:
        raise SourceError(f"{name}: WXR version {version} is not supported (1.0 to 1.2 are)")
    base = values.get("wp:base_site_url", "") or values.get("link", "")
    return WxrChannel(
        title=values.get("title", ""),
        link=values.get("link", ""),
        base_site_url=base,
        base_blog_url=values.get("wp:base_blog_url", "") or base,
        wxr_version=version,
    )


def _looks_truncated(message: str) -> bool:
    lowered = message.lower()
    return any(
        sign in lowered
        for sign in ("premature end", "end of data", "not closed", "not finished", "unclosed")
    )


def _forget(element: etree._Element) -> None:
    """Drop a read element and the siblings before it, so the tree never grows."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
