"""Broken, hostile or wrong files stop the import with one readable line, before anything is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from masthead.migration.sources import SourceError
from masthead.publishing.models import ArticlePage

from .conftest import MASTHEAD_EXPORT, run_import

EXPORT = MASTHEAD_EXPORT.read_bytes()
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>
<title>&lol2;</title></channel></rss>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>&secret;</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type></item>
</channel></rss>"""
RSS_FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>A feed</title>
<item><title>Not an export</title></item></channel></rss>"""
UNDECLARED_ENTITY = EXPORT.replace(b"<title>Harbour Town News</title>", b"<title>&xxe;</title>", 1)


def invalid_utf8() -> bytes:
    at = EXPORT.index(b"Finally the ferry")
    return EXPORT[:at] + b"\xff\xfe" + EXPORT[at:]


CASES = {
    "truncated": (EXPORT[: len(EXPORT) * 2 // 3], "not well-formed XML"),
    "bomb": (BOMB, "DOCTYPE"),
    "external entity": (EXTERNAL_ENTITY, "DOCTYPE"),
    "undeclared entity": (UNDECLARED_ENTITY, "not well-formed XML"),
    "not wxr": (RSS_FEED, "is not a WordPress export (WXR)"),
    "html": (b"<html><body><p>hello</p></body></html>", "is not a WordPress export (WXR)"),
    "not xml": (b"comment_ID,comment_post_ID\n1,2\n", "not well-formed XML"),
    "invalid utf-8": (invalid_utf8(), "not valid UTF-8"),
    "empty": (b"", "is empty"),
    "wrong version": (EXPORT.replace(b"<wp:wxr_version>1.2<", b"<wp:wxr_version>9.9<", 1), "9.9"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_is_one_line_error_and_nothing_written(a_home: Any, tmp_path: Path, case: str) -> None:
    content, expected = CASES[case]
    path = tmp_path / "export.xml"
    path.write_bytes(content)
    with pytest.raises(SourceError) as raised:
        run_import(path)
    message = str(raised.value)
    assert expected in message
    assert "\n" not in message and message.startswith("export.xml: ")
    assert "root:" not in message  # nothing of /etc/passwd
    assert ArticlePage.objects.count() == 0


def test_missing_file_and_missing_uploads_folder(a_home: Any, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"nothing\.xml: cannot be read"):
        run_import(tmp_path / "nothing.xml")
    with pytest.raises(SourceError, match="is not a folder"):
        run_import(MASTHEAD_EXPORT, uploads=tmp_path / "no-uploads")


def test_uploads_paths_never_leave_the_uploads_folder(a_home: Any, tmp_path: Path) -> None:
    from wagtail.images import get_image_model

    secret = tmp_path / "secret.png"
    secret.write_bytes((MASTHEAD_EXPORT.parent / "uploads/2024/04/harbour-council.png").read_bytes())
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    crafted = tmp_path / "crafted.xml"
    crafted.write_bytes(
        EXPORT.replace(b"<![CDATA[2024/04/harbour-council.png]]>", b"<![CDATA[../secret.png]]>")
    )
    run_import(crafted, uploads=uploads)
    assert get_image_model().objects.count() == 0


ITEM = b"""<item><title>Story</title><link>https://news.example.org/?p=1</link>
<content:encoded><![CDATA[<p>%s</p>]]></content:encoded><wp:post_id>%d</wp:post_id>
<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content><![CDATA[%s]]></wp:comment_content></wp:comment>
</item>
"""
# VmHWM is this process's own peak (ru_maxrss would carry the parent's across exec).
MEASURE = """
import re, sys
from pathlib import Path
from masthead.migration.wordpress.wxr import read_wxr
for _ in read_wxr(Path(sys.argv[1])):
    pass
print(re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1))
"""


def peak_rss_kib(tmp_path: Path, items: int) -> int:
    import os
    import subprocess
    import sys

    path = tmp_path / f"{items}.xml"
    head = EXPORT[: EXPORT.index(b"<item>")]
    with path.open("wb") as handle:
        handle.write(head)
        for number in range(items):
            handle.write(ITEM % (b"words " * 300, number, b"a reply " * 100))
        handle.write(b"</channel></rss>")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "masthead.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, env=env, check=True
    )
    return int(done.stdout.split()[-1])


def test_reader_memory_stays_flat(tmp_path: Path) -> None:
    """Ten times the posts (about 3 MB against 30 MB) needs about the same memory: nothing is kept."""
    small = peak_rss_kib(tmp_path, 1_000)
    large = peak_rss_kib(tmp_path, 10_000)
    assert large < small * 1.2, (small, large)
