"""A Remark42 backup (`backup-SITE-YYYYMMDD.gz`) as an import source.

The backup is gzip-compressed JSON lines: first a meta line `{"version": 1, "users": [{"id",
"verified", "blocked"}], "posts": [{"url", "read_only"}]}`, then one comment per line: `id`, `pid`
(its parent, "" for top-level), `text` (HTML), `user` (`name`, `id`, `ip` (already hashed by
Remark42), `verified`), `locator` (`site`, `url`), `score`, `votes` (voter id → true/false), `time`,
`edit.time`, `pin`, `delete`, `title`.

Comments of one page are consecutive in a backup Remark42 writes; each run of lines with one URL
is a thread as it streams (a URL met again later is written to the same thread, its parents found
there). Users are distinct by id, even when they share a name; `verified` comes from the meta line
or the comment. `read_only` posts are imported closed. Deleted comments become the site's deleted
placeholder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

from .isso import stable_id
from .records import ImportedStatus, Skip, SourceComment, SourceThread, SourceUser
from .sources import ImportNotes, SourceError

MAX_LINE = 16 * 1024 * 1024


def _date(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class Remark42Source:
    name: ClassVar[str] = "remark42"
    help: ClassVar[str] = "A Remark42 backup (gzip: a meta line, then one JSON comment per line)."

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("path", help="the backup file, e.g. backup-remark-20240101.gz")

    def __init__(self, options: Mapping[str, object]) -> None:
        self.path = Path(str(options["path"]))
        self.site = ""

    def source_key(self) -> str:
        return f"remark42:{self.site or 'site'}"[:40]

    def _lines(self) -> Iterator[tuple[int, bytes]]:
        if not self.path.is_file():
            raise SourceError(f"{self.path}: no such file")
        try:
            with gzip.open(self.path, "rb") as handle:
                for number, line in enumerate(handle, start=1):
                    if len(line) > MAX_LINE:
                        raise SourceError(f"{self.path.name}: line {number} is over 16 MB")
                    yield number, line
        except (gzip.BadGzipFile, zlib.error) as exc:
            raise SourceError(f"{self.path.name}: not a gzip file ({exc})") from exc
        except EOFError as exc:
            raise SourceError(f"{self.path.name}: the file is truncated") from exc

    def threads(self, notes: ImportNotes) -> Iterator[SourceThread]:
        lines = self._lines()
        first = next(lines, None)
        meta = self._json(first[1]) if first is not None else None
        if not isinstance(meta, dict) or "version" not in meta:
            raise SourceError(f"{self.path.name}: not a Remark42 backup (no meta line first)")
        if meta.get("version") != 1:
            raise SourceError(
                f"{self.path.name}: Remark42 backup version {meta.get('version')!r} is not known"
            )
        verified = {
            str(user.get("id")): bool(user.get("verified"))
            for user in meta.get("users") or []
            if isinstance(user, dict)
        }
        read_only = {
            str(post.get("url")): bool(post.get("read_only"))
            for post in meta.get("posts") or []
            if isinstance(post, dict)
        }
        current: SourceThread | None = None
        users: dict[str, SourceUser] = {}
        for number, line in lines:
            if not line.strip():
                continue
            data = self._json(line)
            if not isinstance(data, dict) or not isinstance(data.get("locator"), dict):
                notes.skip(Skip("comment", f"line {number}", "not a Remark42 comment"))
                notes.count("comment", "skipped")
                continue
            url = str(data["locator"].get("url") or "")
            self.site = self.site or str(data["locator"].get("site") or "")
            if current is None or current.url != url:
                if current is not None:
                    yield current
                current = SourceThread(
                    source_id=stable_id(url),
                    url=url,
                    title=str(data.get("title") or ""),
                    closed=read_only.get(url, False),
                )
                users = {}
            comment = self._comment(data, number, notes, verified, users, current)
            if comment is not None:
                current.comments.append(comment)
        if current is not None:
            yield current

    def _json(self, line: bytes) -> Any:
        try:
            return json.loads(line.decode("utf-8"))
        except UnicodeDecodeError:
            return "invalid UTF-8"
        except ValueError:
            return None

    def _comment(
        self,
        data: dict[str, Any],
        number: int,
        notes: ImportNotes,
        verified: dict[str, bool],
        users: dict[str, SourceUser],
        thread: SourceThread,
    ) -> SourceComment | None:
        source_id = str(data.get("id") or "")
        created = _date(data.get("time"))
        if not source_id or created is None:
            notes.skip(Skip("comment", source_id or f"line {number}", "no id or no readable time"))
            notes.count("comment", "skipped")
            return None
        user = _mapping(data.get("user"))
        user_id = str(user.get("id") or "") or None
        name = str(user.get("name") or "") or "Anonymous"
        if user_id is not None and user_id not in users:
            users[user_id] = SourceUser(
                source_id=user_id,
                name=name,
                verified=verified.get(user_id, False) or bool(user.get("verified")),
            )
            thread.users.append(users[user_id])
        votes_map = _mapping(data.get("votes"))
        votes = [(str(voter), 1 if up else -1) for voter, up in votes_map.items()]
        raw_score = data.get("score")
        score = raw_score if isinstance(raw_score, int) else 0
        edit = _mapping(data.get("edit"))
        return SourceComment(
            source_id=source_id,
            parent_id=str(data.get("pid") or "") or None,
            author_name=name,
            body=str(data.get("text") or ""),
            body_is_html=True,
            created_at=created,
            edited_at=_date(edit.get("time")),
            status=ImportedStatus.DELETED if data.get("delete") else ImportedStatus.APPROVED,
            author_ip=str(user.get("ip") or ""),
            user_id=user_id,
            upvotes=max(score, 0) if not votes else 0,
            downvotes=max(-score, 0) if not votes else 0,
            is_pinned=bool(data.get("pin")),
            votes=votes,
        )
