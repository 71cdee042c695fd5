"""Inline-feedback anchors: W3C Web Annotation selectors over an article body's plain text.

An inline comment's `target` holds a selector set over the text built by `article_text()`:

    {"source": <page URL>, "revision": <revision id it was made on>,
     "selector": [{"type": "TextQuoteSelector", "exact": ..., "prefix": ..., "suffix": ...},
                  {"type": "TextPositionSelector", "start": ..., "end": ...},
                  {"type": "CssSelector", "value": "[data-block-id=\"<uuid>\"]",
                   "refinedBy": {"type": "TextPositionSelector", "start": ..., "end": ...}}],
     "prompt": <block id of an editor prompt, only for answers to one>}

`complete_target()` validates what a reader sent (the quote alone is enough) and fills in the rest.
`resolve()` finds the passage again after edits: the StreamField block and the offset inside it
first, then the exact quote weighed by its context, then a fuzzy match (diff-match-patch, bounded in
distance and time). A passage that cannot be found is orphaned: its comment keeps the original quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from diff_match_patch import diff_match_patch

from masthead.core.errors import ApiError, ErrorCode

MAX_QUOTE = 1000
CONTEXT = 32
# Fuzzy matching: how far from the expected place a changed passage may have gone, how different it
# may be, and how long one diff may take.
FUZZY_DISTANCE = 1000
FUZZY_WINDOW = 250
FUZZY_THRESHOLD = 0.3
FUZZY_MAX_ERRORS = 0.3
FUZZY_PATTERN = 32
DIFF_TIMEOUT = 0.05
# A short quote found far from its place counts only when some of its context came with it.
SHORT_QUOTE = 24

ANCHORED = "anchored"
MOVED = "moved"
ORPHANED = "orphaned"

TEXT_BLOCK_TYPES = ("paragraph", "heading", "pull_quote", "feedback_prompt")
_SPACE = re.compile(r"\s+")
_BLOCK_ID = re.compile(r'^\[data-block-id="([0-9A-Za-z-]{1,64})"\]$')


@dataclass(frozen=True)
class BlockSpan:
    id: str
    type: str
    start: int
    end: int


@dataclass
class ArticleText:
    """The plain text readers can select, with where each StreamField block's text lies in it."""

    text: str
    blocks: list[BlockSpan] = field(default_factory=list)

    def block_at(self, position: int) -> BlockSpan | None:
        for block in self.blocks:
            if block.start <= position < block.end:
                return block
        return None

    def block(self, block_id: str) -> BlockSpan | None:
        for block in self.blocks:
            if block.id == block_id:
                return block
        return None

    @cached_property
    def normalised(self) -> tuple[str, list[int]]:
        """The text with whitespace runs collapsed to one space, and each character's original index."""
        return collapse_whitespace(self.text)


@dataclass
class Resolution:
    state: str
    start: int | None = None
    end: int | None = None
    exact: str = ""
    block_id: str = ""
    changed: bool = False  # found, but its wording is not what the commenter quoted


def block_plain_text(block_type: str, value: Any) -> str:
    from masthead.publishing.rendering import rich_text_plain

    if block_type == "paragraph":
        return rich_text_plain(str(value.source))
    if block_type == "heading":
        return str(value["text"])
    if block_type == "pull_quote":
        return str(value["quote"])
    if block_type == "feedback_prompt":
        return rich_text_plain(str(value["paragraph"].source))
    return ""


def article_text(body: Any) -> ArticleText:
    """The body's text blocks in order, separated by blank lines (as `ArticlePage.body_text()`),
    plus editor prompts' paragraphs, which readers see and can select too."""
    parts: list[str] = []
    spans: list[BlockSpan] = []
    position = 0
    for block in body:
        if block.block_type not in TEXT_BLOCK_TYPES:
            continue
        text = block_plain_text(block.block_type, block.value)
        if not text:
            continue
        if parts:
            position += 2
        spans.append(BlockSpan(str(block.id), block.block_type, position, position + len(text)))
        parts.append(text)
        position += len(text)
    return ArticleText("\n\n".join(parts), spans)


def collapse_whitespace(text: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    index: list[int] = []
    previous_space = False
    for position, char in enumerate(text):
        if char.isspace():
            if previous_space:
                continue
            previous_space = True
            chars.append(" ")
        else:
            previous_space = False
            chars.append(char)
        index.append(position)
    return "".join(chars), index


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text)


# ---------------------------------------------------------------------------------------------
# Reading selectors


@dataclass
class Selectors:
    exact: str | None = None
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    block_id: str = ""
    block_start: int | None = None
    prompt: str = ""


def _refuse(message: str, name: str = "target") -> ApiError:
    return ApiError(ErrorCode.INVALID, message, 400, {name: message})


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _refuse(f"{name} must be a whole number.", f"target.{name}")
    return value


def _str(value: Any, name: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _refuse(f"{name} must be text.", f"target.{name}")
    if len(value) > limit:
        raise _refuse(f"{name} is too long (at most {limit} characters).", f"target.{name}")
    return value


def read_selectors(target: Any) -> Selectors:
    """The selectors in a target, type-checked; unknown selector types are ignored."""
    if not isinstance(target, dict):
        raise _refuse("The target must be an object with a 'selector' list.")
    raw = target.get("selector", [])
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or len(raw) > 10:
        raise _refuse("target.selector must be a list of selectors.", "target.selector")
    found = Selectors(prompt=_str(target.get("prompt"), "prompt", 64))
    for item in raw:
        if not isinstance(item, dict):
            raise _refuse("Each selector must be an object.", "target.selector")
        kind = item.get("type")
        if kind == "TextQuoteSelector":
            exact = item.get("exact")
            if not isinstance(exact, str):
                raise _refuse("The quoted passage (exact) must be text.", "target.exact")
            if len(exact) > MAX_QUOTE:
                raise _refuse(
                    f"The quoted passage is too long: quote at most {MAX_QUOTE} characters.",
                    "target.exact",
                )
            found.exact = exact
            found.prefix = _str(item.get("prefix"), "prefix", 200)
            found.suffix = _str(item.get("suffix"), "suffix", 200)
        elif kind == "TextPositionSelector":
            found.start = _int(item.get("start"), "start")
            found.end = _int(item.get("end"), "end")
        elif kind == "CssSelector":
            match = _BLOCK_ID.match(_str(item.get("value"), "value", 100))
            if match:
                found.block_id = match.group(1)
                refined = item.get("refinedBy")
                if isinstance(refined, dict) and refined.get("type") == "TextPositionSelector":
                    found.block_start = _int(refined.get("start"), "refinedBy.start")
    return found


# ---------------------------------------------------------------------------------------------
# Completing a reader's selection


def complete_target(
    article: ArticleText,
    target: Any,
    *,
    source: str = "",
    revision_id: int | None = None,
    prompt_passages: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Validate a reader's target against the current text and return it with every selector filled in.

    `prompt_passages` maps editor-prompt block ids to their passages; a target naming a prompt is
    anchored on that passage. Raises ApiError 400 (`fields["target..."]`) when the quote is empty, too
    long, outside the text or not in the article.
    """
    selectors = read_selectors(target)
    if selectors.prompt:
        passage = (prompt_passages or {}).get(selectors.prompt)
        if passage is None:
            raise _refuse("This article has no such editor question.", "target.prompt")
        block = article.block(selectors.prompt)
        if block is None:
            raise _refuse("This article has no such editor question.", "target.prompt")
        offset = article.text.find(passage, block.start, block.end)
        if not passage or offset == -1:
            raise _refuse("This editor question has no passage to answer.", "target.prompt")
        selectors.exact = passage
        selectors.block_id = block.id
        selectors.block_start = offset - block.start
        selectors.start = selectors.end = None
    text = article.text
    if selectors.start is not None or selectors.end is not None:
        start, end = selectors.start, selectors.end
        if start is None or end is None:
            raise _refuse("A position needs both start and end.", "target.start")
        if not 0 <= start < end <= len(text):
            raise _refuse(
                f"The position {start} to {end} lies outside the article text (0 to {len(text)}).",
                "target.start",
            )
        if end - start > MAX_QUOTE:
            raise _refuse(
                f"The quoted passage is too long: quote at most {MAX_QUOTE} characters.",
                "target.exact",
            )
        if selectors.exact is None:
            selectors.exact = text[start:end]
    if selectors.exact is None:
        raise _refuse("Quote the passage you comment on (a TextQuoteSelector).", "target.exact")
    if not selectors.exact.strip():
        raise _refuse("The quoted passage is empty.", "target.exact")
    found = locate_quote(article, selectors, require_context=False)
    if found is None:
        raise _refuse(
            "The quoted passage does not occur in the article (it may have just been edited).",
            "target.exact",
        )
    start, end = found
    return build_target(
        article, start, end, source=source, revision_id=revision_id, prompt=selectors.prompt
    )


def build_target(
    article: ArticleText,
    start: int,
    end: int,
    *,
    source: str = "",
    revision_id: int | None = None,
    prompt: str = "",
) -> dict[str, Any]:
    text = article.text
    selector: list[dict[str, Any]] = [
        {
            "type": "TextQuoteSelector",
            "exact": text[start:end],
            "prefix": text[max(0, start - CONTEXT) : start],
            "suffix": text[end : end + CONTEXT],
        },
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]
    block = article.block_at(start)
    if block is not None:
        selector.append(
            {
                "type": "CssSelector",
                "value": f'[data-block-id="{block.id}"]',
                "refinedBy": {
                    "type": "TextPositionSelector",
                    "start": start - block.start,
                    "end": min(end, block.end) - block.start,
                },
            }
        )
    target: dict[str, Any] = {"selector": selector}
    if source:
        target["source"] = source
    if revision_id is not None:
        target["revision"] = revision_id
    if prompt:
        target["prompt"] = prompt
    return target


# ---------------------------------------------------------------------------------------------
# Finding a passage


def _common_suffix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        count += 1
    return count


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _expected_start(article: ArticleText, selectors: Selectors) -> int | None:
    if selectors.block_id and selectors.block_start is not None:
        block = article.block(selectors.block_id)
        if block is not None:
            return block.start + selectors.block_start
    return selectors.start


def _occurrences(article: ArticleText, exact: str, limit: int = 500) -> list[tuple[int, int]]:
    """Every (start, end) of `exact` in the text: verbatim first, else ignoring whitespace differences."""
    text = article.text
    found: list[tuple[int, int]] = []
    position = text.find(exact)
    while position != -1 and len(found) < limit:
        found.append((position, position + len(exact)))
        position = text.find(exact, position + 1)
    if found:
        return found
    squashed = _squash(exact).strip()
    if not squashed:
        return found
    normal, index = article.normalised
    position = normal.find(squashed)
    while position != -1 and len(found) < limit:
        found.append((index[position], index[position + len(squashed) - 1] + 1))
        position = normal.find(squashed, position + 1)
    return found


def _context_score(article: ArticleText, start: int, end: int, selectors: Selectors) -> int:
    text = article.text
    before = _squash(text[max(0, start - 2 * CONTEXT) : start])
    after = _squash(text[end : end + 2 * CONTEXT])
    return _common_suffix(before, _squash(selectors.prefix)) + _common_prefix(
        after, _squash(selectors.suffix)
    )


def locate_quote(
    article: ArticleText, selectors: Selectors, *, require_context: bool = True
) -> tuple[int, int] | None:
    """The best place of the quoted passage: by its context, then by nearness to where it was."""
    exact = selectors.exact or ""
    candidates = _occurrences(article, exact)
    if not candidates:
        return None
    expected = _expected_start(article, selectors)
    block = article.block(selectors.block_id) if selectors.block_id else None

    def rank(candidate: tuple[int, int]) -> tuple[int, int, int]:
        inside = int(block is not None and block.start <= candidate[0] < block.end)
        distance = abs(candidate[0] - expected) if expected is not None else 0
        return (_context_score(article, *candidate, selectors) + 40 * inside, inside, -distance)

    best = max(candidates, key=rank)
    if require_context and len(exact.strip()) < SHORT_QUOTE:
        context, inside, _ = rank(best)
        near = expected is not None and abs(best[0] - expected) <= FUZZY_DISTANCE // 4
        if not (inside or context >= 8 or near or (len(candidates) == 1 and expected is None)):
            return None
    return best


def _matcher() -> diff_match_patch:
    matcher = diff_match_patch()
    matcher.Match_Distance = FUZZY_DISTANCE
    matcher.Match_Threshold = FUZZY_THRESHOLD
    matcher.Diff_Timeout = DIFF_TIMEOUT
    return matcher


def fuzzy_locate(article: ArticleText, selectors: Selectors) -> tuple[int, int] | None:
    """A slightly changed passage near where it was: its head and tail matched approximately, and
    the span between them close enough to the original wording. Matching runs on a window of the
    text around the expected place, which bounds its cost whatever the article's length."""
    exact = selectors.exact or ""
    text = article.text
    expected = _expected_start(article, selectors)
    if expected is None or not exact.strip() or not text:
        return None
    expected = max(0, min(expected, len(text) - 1))
    low = max(0, expected - FUZZY_WINDOW)
    window = text[low : expected + len(exact) + FUZZY_WINDOW]
    matcher = _matcher()
    head = exact[:FUZZY_PATTERN]
    start = matcher.match_main(window, head, expected - low)
    if start == -1:
        return None
    if len(exact) <= FUZZY_PATTERN:
        end = start + len(exact)
    else:
        tail = exact[-FUZZY_PATTERN:]
        tail_start = matcher.match_main(
            window, tail, min(len(window) - 1, start + len(exact) - len(tail))
        )
        if tail_start == -1 or tail_start + len(tail) <= start:
            return None
        end = tail_start + len(tail)
    start, end = low + start, min(low + end, len(text))
    found = text[start:end]
    if not 0.5 * len(exact) <= len(found) <= 1.5 * len(exact):
        return None
    diffs = matcher.diff_main(_squash(exact), _squash(found), False)
    if matcher.diff_levenshtein(diffs) > FUZZY_MAX_ERRORS * len(exact):
        return None
    return start, end


def resolve(article: ArticleText, target: Any) -> Resolution:
    """Where a stored target's passage is in the current text, and whether it is still there."""
    try:
        selectors = read_selectors(target)
    except ApiError:
        return Resolution(ORPHANED)
    exact = selectors.exact
    if exact is None or not exact.strip():
        return Resolution(ORPHANED)
    text = article.text
    expected = _expected_start(article, selectors)
    if expected is not None and text[expected : expected + len(exact)] == exact:
        return _found(article, ANCHORED, expected, expected + len(exact), exact)
    found = locate_quote(article, selectors)
    changed = False
    if found is None:
        found = fuzzy_locate(article, selectors)
        changed = found is not None
    if found is None:
        return Resolution(ORPHANED)
    return _found(article, MOVED, found[0], found[1], exact, changed=changed)


def _found(
    article: ArticleText, state: str, start: int, end: int, exact: str, *, changed: bool = False
) -> Resolution:
    block = article.block_at(start)
    current = article.text[start:end]
    return Resolution(
        state,
        start,
        end,
        current,
        block.id if block else "",
        changed=changed or _squash(current) != _squash(exact),
    )


def quote_of(target: Any) -> str:
    """The passage a comment was made on, as the commenter saw it ('' when the target has none)."""
    try:
        return read_selectors(target).exact or ""
    except ApiError:
        return ""
