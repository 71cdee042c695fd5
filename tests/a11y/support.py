"""What the accessibility tests share: axe-core's verdict in a readable form, the demo newsroom
loaded through its real loader, and a staff sign-in for the Wagtail pages."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import pytest

# Violations at these impacts fail a page (WCAG 2.2 AA: the bar); minor and moderate ones are printed.
FAILING_IMPACTS = {"serious", "critical"}
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}

# Browser tests run on the embedded database only, as the e2e suite does on a developer's machine:
# the PostgreSQL run covers the same server code without a browser.
sqlite_only = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="browser tests run on SQLite",
)


def axe_violations(page: Any, context: Any = None) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now (after any clicks)."""
    # axe-core as axe-playwright-python ships it, injected once per document (it is ~0.5 MB).
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    response = page.evaluate(
        "([context, options]) => axe.run(context || document, options)", [context, AXE_OPTIONS]
    )
    violations = response["violations"]
    return [item for item in violations if item.get("impact") in FAILING_IMPACTS]


@functools.cache
def _axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per failing element: rule id, CSS target, axe's help text and its first hint."""
    lines = []
    for item in violations:
        for node in item["nodes"][:5]:
            target = " ".join(str(part) for part in node.get("target", []))
            hint = (node.get("failureSummary") or "").replace("\n", " ")[:200]
            lines.append(f"  [{item['impact']}] {item['id']} at {target}: {item['help']} ({hint})")
        if len(item["nodes"]) > 5:
            lines.append(f"  ... and {len(item['nodes']) - 5} more {item['id']}")
    return "\n".join(lines)


def load_demo() -> None:
    """The demo newsroom, English and Arabic editions, its campaign and conversations."""
    from django.test import TestCase

    from masthead.publishing.demo import load_demo_content
    from tests.helpers import ensure_wagtail_root

    ensure_wagtail_root()
    # A transactional test's flush also drops the edition locales a migration made.
    from wagtail.models import Locale

    Locale.objects.get_or_create(language_code="ar")
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert load_demo_content()


def sign_in_to_admin(page: Any, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(base_url + "/admin/")


def passage_of(article: Any, words: slice = slice(2, 6)) -> str:
    """A few words from the middle of the article's first paragraph, as the page shows them."""
    from django.utils.html import strip_tags

    for block in article.body:
        if block.block_type == "paragraph":
            text = strip_tags(str(getattr(block.value, "source", block.value)))
            return " ".join(text.split()[words])
    raise AssertionError(f"{article} has no paragraph")


def tab_to(page: Any, selector: str, *, limit: int = 120, backwards: bool = False) -> None:
    """Press Tab (Shift+Tab) until the focused element matches `selector`, as a keyboard user would;
    fail when it is never reached (a control the keyboard cannot get to)."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(
            "(s) => !!document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"{selector} was never reached with {key} ({limit} presses)")


def focus_indicator(page: Any) -> dict[str, Any]:
    """How the focused element shows its focus: whether :focus-visible applies, its outline and
    box-shadow (the browser draws whichever the theme sets)."""
    return dict(
        page.evaluate(
            """() => {
                const node = document.activeElement;
                const style = getComputedStyle(node);
                return {
                    tag: node.tagName.toLowerCase() + (node.className ? '.' + node.className : ''),
                    focusVisible: node.matches(':focus-visible'),
                    outline: style.outlineStyle !== 'none' ? parseFloat(style.outlineWidth) : 0,
                    shadow: style.boxShadow,
                };
            }"""
        )
    )


def assert_visible_focus(page: Any) -> None:
    found = focus_indicator(page)
    shown = found["outline"] >= 2 or found["shadow"] not in ("", "none")
    assert found["focusVisible"] and shown, f"no visible focus indicator: {found}"


def focused(page: Any, script: str = "(node) => node.outerHTML.slice(0, 120)") -> Any:
    """`script` applied to the focused element."""
    return page.evaluate(f"({script})(document.activeElement)")
