"""Isso's SQLite database (`comments.db`) as an import source: `masthead import isso comments.db`.

Isso keeps `threads(id, uri, title)` and `comments(tid, id, parent, created, modified, mode, remote_addr,
text, author, email, website, likes, dislikes, voters, notification)`. `mode` is 1 (public), 2 (waiting
for moderation) or 4 (deleted, kept because it has replies). `text` is the Markdown the reader
wrote. `uri` is the page's path on the site Isso served (`--site-url`, default this site's address).
Isso keeps replies one level deep; the parents are imported as Isso stored them. `voters` is a Bloom
filter, not a list: only the like/dislike counts come across. `remote_addr` is Isso's anonymised
address, hashed again the way Masthead keeps addresses.

The database is opened read-only; threads are read one at a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

from .records import ImportedStatus, Skip, SourceComment, SourceThread
from .sources import ImportNotes, SourceError

MODES = {1: ImportedStatus.APPROVED, 2: ImportedStatus.PENDING, 4: ImportedStatus.DELETED}
THREAD_COLUMNS = {"id", "uri", "title"}
COMMENT_COLUMNS = {"tid", "id", "parent", "created", "modified", "mode", "text", "author"}


def default_site_url() -> str:
    """This site's own address: where an import's relative paths are taken to be."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return site.root_url if site is not None else "http://localhost"


def stable_id(value: str) -> str:
    """A source id that fits ImportedObject.source_id (200 characters)."""
    return value if len(value) <= 200 else "sha256:" + hashlib.sha256(value.encode()).hexdigest()


def _count(value: object) -> int:
    return value if isinstance(value, int) and value > 0 else 0


class IssoSource:
    name: ClassVar[str] = "isso"
    help: ClassVar[str] = "Isso's SQLite database (comments.db)."

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("path", help="Isso's database file, e.g. /var/lib/isso/comments.db")
        parser.add_argument(
            "--site-url",
            default="",
            help="the address of the site Isso served (its thread URIs are paths on it); "
            "default: this site's address",
        )

    def __init__(self, options: Mapping[str, object]) -> None:
        self.path = Path(str(options["path"]))
        self.site_url = str(options.get("site_url") or "")
        self.issues = 0

    def _site(self) -> str:
        if not self.site_url:
            self.site_url = default_site_url()
        return self.site_url

    def source_key(self) -> str:
        host = urlsplit(self._site()).hostname or "site"
        return f"isso:{host}"[:40]

    def _connect(self) -> sqlite3.Connection:
        if not self.path.is_file():
            raise SourceError(f"{self.path}: no such file")
        try:
            connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            connection.text_factory = bytes
            tables = {
                row[0].decode(): {
                    column[1].decode()
                    for column in connection.execute(f"PRAGMA table_info({row[0].decode()})")
                }
                for row in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                    " AND name IN ('threads', 'comments')"
                )
            }
        except sqlite3.DatabaseError as exc:
            raise SourceError(f"{self.path}: not an Isso database ({exc})") from exc
        if (
            not tables.get("threads", set()) >= THREAD_COLUMNS
            or not tables.get("comments", set()) >= COMMENT_COLUMNS
        ):
            raise SourceError(
                f"{self.path}: not an Isso database (no Isso threads/comments tables)"
            )
        return connection

    def _text(self, value: object, notes: ImportNotes, where: str) -> str:
        if value is None:
            return ""
        if isinstance(value, bytes):
            try:
                return value.decode("utf-8")
            except UnicodeDecodeError:
                notes.skip(Skip("comment", where, "invalid UTF-8: replaced with U+FFFD"))
                return value.decode("utf-8", errors="replace")
        return str(value)

    def threads(self, notes: ImportNotes) -> Iterator[SourceThread]:
        connection = self._connect()
        columns = {
            column[1].decode() for column in connection.execute("PRAGMA table_info(comments)")
        }
        optional = ("email", "website", "likes", "dislikes", "remote_addr")
        present = [name for name in optional if name in columns]
        select = ", ".join(
            ["id", "parent", "created", "modified", "mode", "text", "author", *present]
        )
        site = self._site().rstrip("/") + "/"
        try:
            thread_rows = connection.execute(
                "SELECT id, uri, title FROM threads ORDER BY id"
            ).fetchall()
            for thread_id, raw_uri, raw_title in thread_rows:
                uri = self._text(raw_uri, notes, f"thread {thread_id}")
                record = SourceThread(
                    source_id=stable_id(uri or str(thread_id)),
                    url=urljoin(site, uri.lstrip("/")) if "://" not in uri else uri,
                    title=self._text(raw_title, notes, f"thread {thread_id}"),
                )
                rows = connection.execute(
                    f"SELECT {select} FROM comments WHERE tid = ? ORDER BY id",  # noqa: S608 - column names are ours
                    (thread_id,),
                )
                for row in rows:
                    comment = self._comment(
                        dict(
                            zip(
                                [
                                    "id",
                                    "parent",
                                    "created",
                                    "modified",
                                    "mode",
                                    "text",
                                    "author",
                                    *present,
                                ],
                                row,
                                strict=True,
                            )
                        ),
                        notes,
                    )
                    if comment is not None:
                        record.comments.append(comment)
                yield record
        except sqlite3.DatabaseError as exc:
            raise SourceError(f"{self.path}: the database could not be read ({exc})") from exc
        finally:
            connection.close()

    def _comment(self, row: dict[str, object], notes: ImportNotes) -> SourceComment | None:
        source_id = str(row["id"])
        mode = row["mode"]
        status = MODES.get(mode if isinstance(mode, int) else -1)
        if status is None:
            notes.skip(Skip("comment", source_id, f"unknown Isso mode {mode!r}"))
            notes.count("comment", "skipped")
            return None
        try:
            created = dt.datetime.fromtimestamp(float(str(row["created"])), tz=dt.UTC)
            modified = row.get("modified")
            edited = (
                dt.datetime.fromtimestamp(float(str(modified)), tz=dt.UTC) if modified else None
            )
        except (TypeError, ValueError, OverflowError, OSError):
            notes.skip(Skip("comment", source_id, "no readable date"))
            notes.count("comment", "skipped")
            return None
        parent = row.get("parent")
        return SourceComment(
            source_id=source_id,
            parent_id=str(parent) if parent is not None else None,
            author_name=self._text(row.get("author"), notes, source_id) or "Anonymous",
            body=self._text(row["text"], notes, source_id),
            body_is_html=False,
            created_at=created,
            edited_at=edited,
            status=status,
            author_email=self._text(row.get("email"), notes, source_id),
            author_website=self._text(row.get("website"), notes, source_id),
            author_ip=self._text(row.get("remote_addr"), notes, source_id),
            upvotes=_count(row.get("likes")),
            downvotes=_count(row.get("dislikes")),
        )
