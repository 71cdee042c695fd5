"""A Disqus export (Admin → Export: `forum-YYYY-MM-DD…-all.xml`, gunzipped) as an import source.

The export is one `<disqus>` document in the `http://disqus.com` namespace: `<category>`s, then
`<thread dsq:id>`s (`link`, `title`, `createdAt`, `isClosed`, `isDeleted`), then every `<post dsq:id>`
(`message` as HTML, `createdAt`, `isDeleted`, `isSpam`, `author` with `name`, `email` (often empty),
`isAnonymous`, `username`, `ipAddress`, `<thread dsq:id>` and, for replies, `<parent dsq:id>`).

Posts are not grouped by thread in the file, so they are gathered per thread as the file streams
(each element is freed once read) and each thread is yielded at the end. `isDeleted` posts become
the site's deleted placeholder (their replies stay readable), `isSpam` ones spam (never shown).
Disqus commenters come across as names on their comments, not as accounts.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

from .records import ImportedStatus, Skip, SourceComment, SourceThread
from .sources import ImportNotes, SourceError
from .xml_safety import iterparse

NS = "{http://disqus.com}"
DSQ = "{http://disqus.com/disqus-internals}"


def _text(element: Any, name: str) -> str:
    child = element.find(NS + name)
    return (child.text or "").strip() if child is not None else ""


def _flag(element: Any, name: str) -> bool:
    return _text(element, name).lower() == "true"


def _ref(element: Any, name: str) -> str | None:
    child = element.find(NS + name)
    return child.get(DSQ + "id") if child is not None else None


def _date(value: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class DisqusSource:
    name: ClassVar[str] = "disqus"
    help: ClassVar[str] = "A Disqus XML export (gunzipped)."

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "path", help="the export file, e.g. myforum-2024-01-01T00:00:00-all.xml"
        )

    def __init__(self, options: Mapping[str, object]) -> None:
        self.path = Path(str(options["path"]))
        self.forum = ""

    def source_key(self) -> str:
        return f"disqus:{self.forum or 'forum'}"[:40]

    def threads(self, notes: ImportNotes) -> Iterator[SourceThread]:
        threads: dict[str, SourceThread] = {}
        deleted: set[str] = set()
        orphans = 0
        for event, element in iterparse(self.path, (NS + "thread", NS + "post")):
            if event == "start":
                if element.tag != NS + "disqus":
                    raise SourceError(
                        f"{self.path.name}: not a Disqus export (its root is <{element.tag}>)"
                    )
                continue
            parent = element.getparent()
            if parent is None or parent.getparent() is not None:
                continue  # a <thread dsq:id/> reference inside a post, not a thread
            if element.tag == NS + "thread":
                self._thread(element, threads, deleted, notes)
            else:
                orphans += self._post(element, threads, deleted, notes)
            element.clear()
            while element.getprevious() is not None:
                del parent[0]  # free what was read: the file streams in flat memory
        if not threads and not orphans:
            notes.note("The export holds no threads.")
        yield from threads.values()

    def _thread(
        self, element: Any, threads: dict[str, SourceThread], deleted: set[str], notes: ImportNotes
    ) -> None:
        thread_id = element.get(DSQ + "id") or ""
        self.forum = self.forum or _text(element, "forum")
        if not thread_id:
            notes.skip(Skip("thread", _text(element, "link"), "no dsq:id"))
            notes.count("thread", "skipped")
            return
        if _flag(element, "isDeleted"):
            deleted.add(thread_id)
            notes.skip(Skip("thread", _text(element, "link"), "deleted in Disqus"))
            notes.count("thread", "skipped")
            return
        threads[thread_id] = SourceThread(
            source_id=thread_id,
            url=_text(element, "link"),
            title=_text(element, "title"),
            closed=_flag(element, "isClosed"),
            created_at=_date(_text(element, "createdAt")),
        )

    def _post(
        self, element: Any, threads: dict[str, SourceThread], deleted: set[str], notes: ImportNotes
    ) -> int:
        post_id = element.get(DSQ + "id") or ""
        thread_id = _ref(element, "thread") or ""
        if not post_id:
            notes.skip(Skip("comment", _text(element, "id"), "no dsq:id"))
            notes.count("comment", "skipped")
            return 1
        if thread_id in deleted:
            notes.count("comment", "skipped")
            return 0
        thread = threads.get(thread_id)
        if thread is None:
            notes.skip(Skip("comment", post_id, "its thread is not in the export"))
            notes.count("comment", "skipped")
            return 1
        created = _date(_text(element, "createdAt"))
        if created is None:
            notes.skip(Skip("comment", post_id, "no readable createdAt"))
            notes.count("comment", "skipped")
            return 0
        author = element.find(NS + "author")
        anonymous = author is None or _flag(author, "isAnonymous")
        status = ImportedStatus.APPROVED
        if _flag(element, "isSpam"):
            status = ImportedStatus.SPAM
        elif _flag(element, "isDeleted"):
            status = ImportedStatus.DELETED
        message = element.find(NS + "message")
        comment = SourceComment(
            source_id=post_id,
            parent_id=_ref(element, "parent"),
            author_name=(_text(author, "name") if author is not None else "") or "Anonymous",
            author_email=_text(author, "email") if author is not None else "",
            body=(message.text or "").strip() if message is not None else "",
            body_is_html=True,
            created_at=created,
            status=status,
            author_ip=_text(element, "ipAddress"),
        )
        if not anonymous and author is not None and _text(author, "username"):
            comment.extra["disqus_username"] = _text(author, "username")
        thread.comments.append(comment)
        return 0
