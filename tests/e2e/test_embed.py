"""The embed in Chromium, as another website uses it: a "third-party" page served from another
loopback origin (http://127.0.0.2:<port>, another site than the Masthead server's 127.0.0.1) with one
script tag. Each flow runs with third-party cookies allowed and blocked."""

from __future__ import annotations

import html
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest

from tests.a11y.support import axe_violations, describe, sqlite_only
from tests.helpers import MastheadServer, ServerReader, free_port, masthead_process_env

# The Masthead server here keeps its own SQLite database whatever DATABASE_URL says: the PostgreSQL
# pass would run the same thing again.
pytestmark = [pytest.mark.browser, sqlite_only]

SSO_SECRET = "the-host-sites-own-secret-0123456789abcdef"
HOST_ADDRESS = "127.0.0.2"
READER_EMAIL, READER_PASSWORD = "popup.reader@example.org", "a popup reader's passphrase"
MAKE_READER = f"""
from django.contrib.auth import get_user_model
from masthead.accounts.actions import verify_email
user = get_user_model().objects.create_user(
    "popupreader", {READER_EMAIL!r}, {READER_PASSWORD!r}, display_name="Rea Popup")
verify_email(user)
"""


class HostSite:
    """The other website: pages made from the test's own HTML, on 127.0.0.2."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.port = free_port()
        self.origin = f"http://{HOST_ADDRESS}:{self.port}"
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(self.path.split("?")[0])
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write((body or "not found").encode())

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer((HOST_ADDRESS, self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(self, path: str, body: str, news: str, lang: str = "en") -> str:
        self.pages[path] = (
            f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>Host page {html.escape(path)}</title>"
            "<style>p, li, button { color: rgb(255, 0, 0) !important; font-size: 40px; }</style>"
            f'</head><body>{body}<script src="{news}/embed.js" async></script></body></html>'
        )
        return self.origin + path

    def stop(self) -> None:
        self.server.shutdown()


@pytest.fixture(scope="module")
def host() -> Iterator[HostSite]:
    site = HostSite()
    yield site
    site.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, host: HostSite) -> Iterator[MastheadServer]:
    def allow_host(data_dir: Path) -> None:
        subprocess.run(
            [sys.executable, "-m", "masthead.cli", "manage", "embed_site", "add", host.origin,
             "--name", "Host site", "--sso-secret", SSO_SECRET],
            env=masthead_process_env(data_dir), check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        subprocess.run(
            [sys.executable, "-m", "masthead.cli", "manage", "shell", "-c", MAKE_READER],
            env=masthead_process_env(data_dir), check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip

    running = MastheadServer(
        tmp_path_factory.mktemp("embed") / "data",
        before_start=allow_host,
        MASTHEAD_RATELIMIT_ENABLED="0",
        # The news site's own readers below come from their own addresses (X-Forwarded-For), so
        # the browser's guest (127.0.0.1) may vote on their comments.
        MASTHEAD_TRUSTED_PROXIES="127.0.0.1",
    )
    yield running
    running.stop()


@pytest.fixture(scope="module")
def blocking_browser(browser: Any) -> Iterator[Any]:
    """Chromium with third-party cookies blocked (its own switch for testing the phase-out)."""
    from tests.browser import CHROMIUM

    blocking = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--test-third-party-cookie-phaseout"],
    )
    yield blocking
    blocking.close()


@pytest.fixture(params=["cookies allowed", "third-party cookies blocked"])
def host_page(request: Any) -> Iterator[Any]:
    """A fresh tab (no storage) on the host site, in a browser that allows or blocks third-party
    cookies."""
    name = "browser" if request.param == "cookies allowed" else "blocking_browser"
    browser = request.getfixturevalue(name)
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()


def widget(page: Any, index: int = 0) -> Any:
    """The n-th discussion's shadow root content (Playwright's CSS reaches into open shadow roots)."""
    element = page.locator("[data-masthead-discussion]").nth(index)
    page.wait_for_function(
        "i => document.querySelectorAll('[data-masthead-discussion]')[i]?.dataset.mastheadState"
        " === 'ready'",
        arg=index,
    )
    return element


def post(
    widget_root: Any, body: str, name: str = "Gita Guest", email: str = "gita@example.com"
) -> None:
    form = widget_root.locator("form.form").first
    name_field = form.locator("input[name=name]")
    if name_field.count() and name_field.is_visible():
        name_field.fill(name)
        form.locator("input[name=email]").fill(email)
    form.locator("textarea[name=body]").fill(body)
    form.locator("button[type=submit]").click()


def news_reader(server: MastheadServer) -> ServerReader:
    return ServerReader(server.base, headers={"X-Forwarded-For": "192.0.2.77"})


def thread_of(server: MastheadServer, origin: str, url: str, **params: str) -> dict[str, Any]:
    """The embed's first answer for `url`, asked as a page on `origin` would (makes the thread)."""
    import json
    import urllib.parse
    import urllib.request

    query = urllib.parse.urlencode({"url": url, **params})
    request = urllib.request.Request(
        f"{server.base}/api/v1/embed/threads?{query}", headers={"Origin": origin}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return dict(json.loads(response.read()))


def test_a_guest_comments_replies_and_votes_on_another_website(
    server: MastheadServer, host: HostSite, host_page: Any, screenshot_dir: Path, request: Any
) -> None:
    mode = request.node.callspec.params["host_page"].replace(" ", "-")
    story = f"{host.origin}/{mode}/story/"
    first = thread_of(server, host.origin, story, title="The ferry story")
    thread_id = first["thread"]["id"]
    status, theirs = news_reader(server).comment(
        thread_id, f"Posted on the news site itself. ({mode})", "Nia N."
    )
    assert status == 201
    url = host.page(
        f"/{mode}/story/",
        f"""<h1>The ferry story</h1>
        <p><a id="count" href="{story}#comments" data-masthead-count>Comments</a></p>
        <div id="support" data-masthead-support data-campaign="support-us"></div>
        <div id="main-discussion" data-masthead-discussion data-url="{story}"></div>
        <div id="letters" data-masthead-discussion data-url="{story}" data-id="letters"
             data-title="Letters"></div>""",
        server.base,
    )
    host_page.goto(url)
    discussion = widget(host_page)
    host_page.wait_for_function("() => document.querySelector('#count').textContent !== 'Comments'")
    assert (
        f"Posted on the news site itself. ({mode})"
        in discussion.locator(f"#c{theirs['id']}").inner_text()
    )
    # The host page's CSS (red, 40px text) does not reach into the widget.
    colour = discussion.locator(f"#c{theirs['id']} .body p").evaluate(
        "e => getComputedStyle(e).color"
    )
    assert colour != "rgb(255, 0, 0)"

    post(discussion, f"Hello from the other website. ({mode})")
    mine = discussion.locator("li.c", has_text=f"Hello from the other website. ({mode})")
    mine.wait_for()
    my_id = mine.get_attribute("data-id")

    theirs_card = discussion.locator(f"#c{theirs['id']}")
    theirs_card.locator("[data-reply]").first.click()
    post(theirs_card, f"A reply, from the other website too. ({mode})")
    theirs_card.locator(
        "li.c", has_text=f"A reply, from the other website too. ({mode})"
    ).wait_for()

    upvote = theirs_card.locator('.card [data-vote="1"]').first
    upvote.click()
    host_page.wait_for_function(
        f"() => document.querySelector('#main-discussion').shadowRoot"
        f".querySelector('#c{theirs['id']} .ups').textContent === '1'"
    )
    assert upvote.get_attribute("aria-pressed") == "true"

    # The count link (as it was when the page loaded) and the support block.
    assert host_page.locator("#count").inner_text() == "1 comment"
    support = host_page.locator("#support")
    support.locator("[role=progressbar]").wait_for()
    support.locator("a", has_text="Donate").wait_for()
    assert "raised" in support.locator(".raised").inner_text()
    assert len(support.locator(".scale li").all_inner_texts()) == 3

    # A second discussion on the same page is its own.
    letters = widget(host_page, 1)
    post(letters, f"A letter to the editor. ({mode})")
    letters.locator("li.c", has_text=f"A letter to the editor. ({mode})").wait_for()
    assert discussion.locator("li.c", has_text=f"A letter to the editor. ({mode})").count() == 0

    # What the widget draws passes axe-core (WCAG 2.2 AA), shadow roots included.
    for element in ("#main-discussion", "#letters", "#support"):
        found = axe_violations(host_page, {"include": [[element]]})
        assert not found, describe(found)

    # The heading's total follows the thread: the reader's own two comments and the news site's.
    assert discussion.locator(".count").inner_text() == "3 comments"
    host_page.screenshot(path=str(screenshot_dir / f"embed-{mode}.png"), full_page=True)

    # Back later: the token in the host page's storage keeps the guest's edit window.
    host_page.reload()
    discussion = widget(host_page)
    host_page.wait_for_function(
        "() => document.querySelector('#count').textContent === '3 comments'"
    )
    edit = discussion.locator(f"#c{my_id} [data-edit]").first
    edit.wait_for(state="visible")
    assert discussion.locator(f"#c{theirs['id']} > .card [data-edit]").is_hidden()
    # No cookie was needed, or set, for the news site.
    assert host_page.context.cookies(server.base) == []
    assert host_page.errors == []


def test_a_single_page_app_re_renders_on_a_route_change(
    server: MastheadServer, host: HostSite, page: Any
) -> None:
    first = f"{host.origin}/spa/one/"
    second = f"{host.origin}/spa/two/"
    thread_id = thread_of(server, host.origin, second, title="Second story")["thread"]["id"]
    news_reader(server).comment(thread_id, "Only on the second story.", "Sol S.")
    page.goto(
        host.page(
            "/spa/", f'<div id="d" data-masthead-discussion data-url="{first}"></div>', server.base
        )
    )
    discussion = widget(page)
    discussion.locator(".quiet, li.c").first.wait_for()
    assert discussion.locator("li.c", has_text="Only on the second story.").count() == 0
    page.evaluate(
        "url => { const d = document.querySelector('#d'); delete d.dataset.mastheadState;"
        " window.Masthead.render(d, {url, title: 'Second story'}); }",
        second,
    )
    widget(page).locator("li.c", has_text="Only on the second story.").wait_for()
    page.evaluate("() => window.Masthead.destroy(document.querySelector('#d'))")
    assert page.locator("#d li.c").count() == 0


def test_a_website_not_on_the_list_gets_nothing(server: MastheadServer, page: Any) -> None:
    stranger = HostSite()  # on 127.0.0.2 but another port: another origin, not on the list
    try:
        warnings: list[str] = []
        page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
        page.goto(
            stranger.page(
                "/x/", '<div id="d" data-masthead-discussion>Host text</div>', server.base
            )
        )
        deadline = time.monotonic() + 10
        while not warnings and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        assert any(stranger.origin in text and "not allowed" in text for text in warnings), warnings
        assert page.locator("#d").inner_text() == "Host text"
        assert page.locator("#d li.c").count() == 0
    finally:
        stranger.stop()


def sso_token(secret: str = SSO_SECRET, **claims: Any) -> str:
    values = {"sub": "host-42", "name": "Hana Host", "email": "hana@host.example",
              "exp": int(time.time()) + 600, **claims}  # fmt: skip
    return jwt.encode(values, secret, "HS256")


def test_the_host_sites_sso_token_signs_its_reader_in(
    server: MastheadServer, host: HostSite, host_page: Any
) -> None:
    story = f"{host.origin}/sso/story/"
    host_page.goto(
        host.page(
            "/sso/",
            f'<div data-masthead-discussion data-url="{story}" data-sso="{sso_token()}"></div>',
            server.base,
        )
    )
    discussion = widget(host_page)
    assert "Commenting as Hana Host" in discussion.locator(".who").inner_text()
    post(discussion, "Signed in by my own website.")
    card = discussion.locator("li.c", has_text="Signed in by my own website.")
    card.wait_for()
    assert "Hana Host" in card.locator(".name").inner_text()


def test_a_forged_sso_token_is_refused_and_the_reader_stays_a_guest(
    server: MastheadServer, host: HostSite, page: Any
) -> None:
    forged = sso_token(secret="somebody-elses-secret-0123456789abcdef0")
    page.goto(
        host.page(
            "/forged/",
            f'<div data-masthead-discussion data-url="{host.origin}/forged/" data-sso="{forged}"></div>',
            server.base,
        )
    )
    discussion = widget(page)
    refusal = discussion.locator(".composer [role=alert]", has_text="not accepted")
    refusal.wait_for()
    assert discussion.locator("input[name=name]").is_visible()
    assert discussion.locator(".who").count() == 0


def test_a_news_site_reader_signs_in_through_a_first_party_popup(
    server: MastheadServer, host: HostSite, blocking_browser: Any, screenshot_dir: Path
) -> None:
    """With third-party cookies blocked: the popup is the news site's own page (its cookies work
    there); it hands the embedding page a token and closes."""
    context = blocking_browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    story = f"{host.origin}/popup/story/"
    page.goto(
        host.page(
            "/popup/", f'<div data-masthead-discussion data-url="{story}"></div>', server.base
        )
    )
    discussion = widget(page)
    with page.expect_popup() as opened:
        discussion.locator("a.signin").click()
    popup = opened.value
    popup.locator("input[name=login]").fill(READER_EMAIL)
    popup.locator("input[name=password]").fill(READER_PASSWORD)
    popup.locator("form button[type=submit]").first.click()
    popup.wait_for_event("close")
    discussion.locator(".who", has_text="Commenting as Rea Popup").wait_for()
    post(discussion, "Signed in on the news site, commenting here.")
    card = discussion.locator("li.c", has_text="Signed in on the news site, commenting here.")
    card.wait_for()
    assert "Rea Popup" in card.locator(".name").inner_text()
    page.screenshot(path=str(screenshot_dir / "embed-signed-in.png"))
    context.close()


def test_the_widget_speaks_the_host_pages_language_right_to_left(
    server: MastheadServer, host: HostSite, page: Any, screenshot_dir: Path
) -> None:
    story = f"{host.origin}/ar/story/"
    page.goto(
        host.page(
            "/ar/",
            f'<div data-masthead-discussion data-url="{story}"></div>',
            server.base,
            lang="ar",
        )
    )
    discussion = widget(page)
    box = discussion.locator("section.w")
    assert box.get_attribute("dir") == "rtl" and box.get_attribute("lang") == "ar"
    submit = discussion.locator("form.form button[type=submit]")
    assert submit.inner_text() not in ("", "Post comment")
    # Right to left: the submit button sits at the left end of its row.
    body = discussion.locator("textarea[name=body]").bounding_box()
    button = submit.bounding_box()
    assert body is not None and button is not None
    assert button["x"] < body["x"] + body["width"] / 2
    page.screenshot(path=str(screenshot_dir / "embed-arabic.png"))


def test_a_discussion_far_down_the_page_renders_when_it_comes_near_and_hears_new_comments_live(
    server: MastheadServer, host: HostSite, page: Any
) -> None:
    story = f"{host.origin}/lazy/story/"
    thread_id = thread_of(server, host.origin, story)["thread"]["id"]
    page.goto(
        host.page(
            "/lazy/",
            '<div style="height: 4000px">A long story.</div>'
            f'<div id="d" data-masthead-discussion data-url="{story}" data-theme="dark"></div>',
            server.base,
        )
    )
    page.wait_for_function("() => performance.getEntriesByName('masthead:start').length > 0")
    page.wait_for_timeout(500)
    # Nothing asked for a discussion nobody has scrolled to.
    assert page.evaluate("() => document.querySelector('#d').dataset.mastheadState") is None
    streams: list[int] = []
    page.on("response", lambda r: streams.append(r.status) if "/events" in r.url else None)
    page.locator("#d").scroll_into_view_if_needed()
    discussion = widget(page)
    assert "dark" in (discussion.locator("section.w").get_attribute("class") or "")
    deadline = time.monotonic() + 10  # the live stream's answer has begun
    while not streams and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert streams, "the discussion opened no live stream"

    status, posted = news_reader(server).comment(thread_id, "Live from the news site.", "Lia L.")
    assert status == 201
    button = discussion.locator("button.new")
    button.wait_for(state="visible")
    assert "1" in button.inner_text()
    assert discussion.locator(f"#c{posted['id']}").count() == 0  # nothing moves by itself
    button.click()
    discussion.locator(f"#c{posted['id']}", has_text="Live from the news site.").wait_for()
