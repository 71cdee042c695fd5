"""WordPress post content (Gutenberg blocks or classic HTML) -> an article body's StreamField blocks.

Gutenberg stores each block as ordinary HTML between `<!-- wp:name -->` comments, so one walker over
the HTML serves both editors: paragraphs, headings, quotes, lists, images and embeds are recognised
by their elements (`<figure class="wp-block-embed">`, `<img class="wp-image-12">`...). Classic
content has no `<p>`s (WordPress adds them on display, `wpautop`): its blank lines split paragraphs
and a URL alone on a line is an embed, as WordPress shows it. A YouTube or Vimeo URL becomes the
video block. All text that reaches a paragraph is cleaned with nh3 to the editor's own features.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urljoin, urlparse

import nh3
from lxml import etree
from lxml import html as lxml_html

# The paragraph block's rich-text features (publishing.blocks.ArticleBodyBlock), as HTML.
PARAGRAPH_TAGS = {"p", "b", "strong", "i", "em", "a", "ul", "ol", "li", "blockquote", "sup", "sub", "s", "del", "br"}  # fmt: skip
PARAGRAPH_ATTRIBUTES: dict[str, set[str]] = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h3", "h5": "h3", "h6": "h3"}
DROPPED = {"script", "style", "noscript", "form", "input", "button", "select", "textarea", "object", "embed", "hr", "link", "meta"}  # fmt: skip
CONTAINERS = {"div", "section", "article", "main", "aside", "header", "footer", "center", "body"}
YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com", "youtube-nocookie.com"}  # fmt: skip
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
BARE_URL = re.compile(r"^\s*(https?://[^\s<>\"]+)\s*$")
CAPTION_SHORTCODE = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.DOTALL | re.IGNORECASE)
EMBED_SHORTCODE = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.DOTALL | re.IGNORECASE)
# wpDiscuz's inline feedback wraps a passage: the passage stays text (the prompt is the form's).
FEEDBACK_SHORTCODE = re.compile(
    r"\[wpdiscuz-feedback[^\]]*\](.*?)\[/wpdiscuz-feedback\]", re.DOTALL | re.IGNORECASE
)
ATTACHMENT_CLASS = re.compile(r"\bwp-image-(\d+)\b")

# (src URL, WordPress attachment id or "") -> a Wagtail image, or None to keep the remote URL.
ImageResolver = Callable[[str, str], Any]
Block = tuple[str, Any]


@dataclass
class BodyResult:
    blocks: list[Block] = field(default_factory=list)
    remote_images: list[str] = field(default_factory=list)


def clean_paragraph(markup: str) -> str:
    return nh3.clean(
        markup,
        tags=PARAGRAPH_TAGS,
        attributes=PARAGRAPH_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    ).strip()


def video_url(url: str) -> str | None:
    """The canonical YouTube/Vimeo page URL for a watch, short, embed or player URL; else None."""
    parsed = urlparse(url.strip())
    host = (parsed.hostname or "").lower()
    if host in YOUTUBE_HOSTS:
        if host == "youtu.be":
            video = parsed.path.strip("/")
        elif parsed.path.startswith(("/embed/", "/shorts/", "/v/")):
            video = parsed.path.split("/")[2]
        else:
            video = (parse_qs(parsed.query).get("v") or [""])[0]
        return f"https://www.youtube.com/watch?v={video}" if video else None
    if host in VIMEO_HOSTS:
        number = next((part for part in parsed.path.split("/") if part.isdigit()), "")
        return f"https://vimeo.com/{number}" if number else None
    return None


def convert_body(content: str, resolve_image: ImageResolver, base_url: str = "") -> BodyResult:
    """`base_url` (the old site's address) makes WordPress's relative media URLs absolute."""
    return _Converter(resolve_image, base_url).convert(content)


class _Converter:
    def __init__(self, resolve_image: ImageResolver, base_url: str) -> None:
        self.resolve_image = resolve_image
        self.base_url = base_url
        self.result = BodyResult()
        self.inline: list[str] = []

    def convert(self, content: str) -> BodyResult:
        gutenberg = "<!-- wp:" in content
        content = EMBED_SHORTCODE.sub(lambda match: f"\n\n{match.group(1).strip()}\n\n", content)
        content = CAPTION_SHORTCODE.sub(_caption_figure, content)
        content = FEEDBACK_SHORTCODE.sub(lambda match: match.group(1), content)
        if not content.strip():
            return self.result
        try:
            nodes = lxml_html.fragments_fromstring(content)
        except (etree.ParserError, ValueError):
            nodes = [content]
        for node in nodes:
            if isinstance(node, str):
                self.text(node, classic=not gutenberg)
            else:
                self.node(node, classic=not gutenberg)
        self.flush()
        return self.result

    # Inline content gathers into the paragraph being built; a block element ends it.
    def text(self, text: str, *, classic: bool) -> None:
        if not classic:
            if text.strip():
                self.inline.append(_escape(text))
            return
        for index, chunk in enumerate(re.split(r"\n\s*\n", text)):
            if index:
                self.flush()
            for line_number, line in enumerate(chunk.split("\n")):
                match = BARE_URL.match(line)
                if match:
                    self.flush()
                    self.embed(match.group(1), "")
                elif line.strip():
                    # A single newline inside a paragraph is a line break (wpautop's <br>).
                    if line_number and self.inline:
                        self.inline.append("<br>")
                    self.inline.append(_escape(line))

    def flush(self) -> None:
        markup = "".join(self.inline).strip()
        self.inline = []
        if not markup:
            return
        cleaned = clean_paragraph(markup if markup.startswith("<p") else f"<p>{markup}</p>")
        if re.sub(r"<[^>]+>", "", cleaned).strip():
            self.result.blocks.append(("paragraph", cleaned))

    def add(self, block: Block) -> None:
        self.flush()
        self.result.blocks.append(block)

    def node(self, element: Any, *, classic: bool) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tail = element.tail or ""
        tag = tag.lower()
        if not tag or tag in DROPPED:
            pass  # comments (Gutenberg's delimiters) and what never belongs in an article
        elif tag in HEADINGS:
            text = " ".join(element.text_content().split())[:200]
            if text:
                self.add(("heading", {"text": text, "level": HEADINGS[tag]}))
        elif tag == "blockquote":
            self.quote(element)
        elif tag in {"ul", "ol"}:
            markup = re.sub(r">\s+<", "><", _outer(element))
            self.add(("paragraph", clean_paragraph(markup)))
        elif tag == "figure":
            self.figure(element)
        elif tag == "img":
            self.image(element, "")
        elif tag == "iframe":
            self.embed(element.get("src", ""), "")
        elif tag == "p":
            self.paragraph(element, classic=classic)
        elif tag in CONTAINERS:
            self.flush()
            if element.text:
                self.text(element.text, classic=classic)
            for child in element:
                self.node(child, classic=classic)
            self.flush()
        elif tag in {"table", "pre", "dl"}:
            text = element.text_content().strip()
            if text:
                self.add(("paragraph", clean_paragraph(f"<p>{_escape(text)}</p>")))
        else:  # an inline element: a, em, strong, span, br...
            self.inline.append(_outer(element, with_tail=False))
        if tail:
            self.text(tail, classic=classic)

    def paragraph(self, element: Any, *, classic: bool) -> None:
        media = [child for child in element if isinstance(child.tag, str) and child.tag in {"img", "iframe"}]  # fmt: skip
        text = (element.text or "").strip()
        match = BARE_URL.match(text) if not len(element) else None
        if match:
            self.flush()
            self.embed(match.group(1), "")
        elif media and not element.text_content().strip():
            for child in media:
                self.node(child, classic=classic)
        else:
            self.flush()
            self.inline.append(_outer(element, with_tail=False))
            self.flush()

    def quote(self, element: Any) -> None:
        attribution = ""
        for cite in element.findall(".//cite"):
            attribution = attribution or " ".join(cite.text_content().split())
            cite.drop_tree()
        text = "\n".join(
            line for line in (part.strip() for part in element.text_content().split("\n")) if line
        )
        if not text:
            return
        if len(text) <= 600 and len(attribution) <= 200:
            self.add(("pull_quote", {"quote": text, "attribution": attribution}))
        else:
            self.add(("paragraph", clean_paragraph(_outer(element, with_tail=False))))

    def figure(self, element: Any) -> None:
        caption_element = element.find(".//figcaption")
        caption = ""
        if caption_element is not None:
            caption = " ".join(caption_element.text_content().split())[:400]
            caption_element.drop_tree()
        classes = element.get("class", "")
        image = element.find(".//img")
        frame = element.find(".//iframe")
        quote = element.find(".//blockquote")
        if "wp-block-embed" in classes or frame is not None:
            url = frame.get("src", "") if frame is not None else element.text_content().strip()
            self.embed(url.split()[0] if url.split() else "", caption)
        elif image is not None:
            self.image(image, caption)
        elif quote is not None:
            self.quote(quote)
        else:
            text = element.text_content().strip()
            if text:
                self.add(("paragraph", clean_paragraph(f"<p>{_escape(text)}</p>")))

    def image(self, element: Any, caption: str) -> None:
        src = (element.get("src") or "").strip()
        if not src:
            return
        if src.startswith("//"):
            src = f"https:{src}"
        elif self.base_url and not src.lower().startswith(("http://", "https://")):
            src = urljoin(self.base_url, src)
        if not src.lower().startswith(("http://", "https://")) or not urlparse(src).hostname:
            return  # not an image address (javascript:, data:...): nothing to keep
        match = ATTACHMENT_CLASS.search(element.get("class", ""))
        image = self.resolve_image(src, match.group(1) if match else "")
        alt = (element.get("alt") or "").strip()
        if image is not None:
            self.add(("image", {"image": image, "caption": caption, "credit": ""}))
            return
        # No local file: the image stays where it was, as a link readers can follow.
        self.result.remote_images.append(src)
        label = _escape(caption or alt or "Image")
        self.add(("paragraph", clean_paragraph(f'<p><a href="{_escape(src)}">{label}</a></p>')))

    def embed(self, url: str, caption: str) -> None:
        url = url.strip()
        if url.startswith("//"):
            url = f"https:{url}"
        if not url.startswith(("http://", "https://")):
            return
        video = video_url(url)
        if video:
            self.add(("video", _video_value(video, caption)))
        else:
            from wagtail.embeds.blocks import EmbedValue

            self.add(("embed", EmbedValue(url)))
            if caption:
                self.add(("paragraph", clean_paragraph(f"<p>{_escape(caption)}</p>")))


def _video_value(url: str, caption: str) -> dict[str, Any]:
    return {
        "video_file": None,
        "url": url,
        "poster": None,
        "captions": None,
        "captions_language": "en",
        "caption": caption,
        "credit": "",
    }


def _caption_figure(match: re.Match[str]) -> str:
    inner = match.group(1)
    image_end = inner.rfind(">")
    media, caption = inner[: image_end + 1], inner[image_end + 1 :].strip()
    return f"<figure>{media}<figcaption>{caption}</figcaption></figure>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")  # fmt: skip


def _outer(element: Any, *, with_tail: bool = False) -> str:
    markup: str = lxml_html.tostring(element, encoding="unicode", with_tail=with_tail)
    return markup
