"""A reader of a WordPress MySQL/MariaDB database (`masthead import wordpress --db URL`).

It yields the records the WXR reader (`wxr.py`) yields, read from the tables WordPress's own export
reads (`posts`, `postmeta`, `comments`, `commentmeta`, `users`, `terms`, `options`), so the rest of
the import is the same code; and, per post, what only the database holds (`wpdiscuz.py`): spam
(a WXR export leaves it out), wpDiscuz's per-voter votes, subscriptions, follows and feedback forms.

The driver (PyMySQL, the `mysql` extra) is imported only here, when `--db` is used. Rows are read
with server-side cursors in batches of posts (keyset on the post id), so memory stays flat whatever
the site's size. Every problem reaching the database (a bad URL, no server, wrong credentials, no
such database, missing tables) is one `SourceError` line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlparse

from masthead.migration.records import Skip, SourceUser
from masthead.migration.sources import ImportNotes, SourceError

from .articles import Attachment
from .serialized import PhpSerializeError, php_unserialize
from .wpdiscuz import (
    NO_FOLLOWS,
    FeedbackForm,
    WpDiscuzPost,
    merge_thread_subscriptions,
    subscription,
    voter_key,
)
from .wxr import WxrAuthor, WxrChannel, WxrComment, WxrItem, WxrTerm, parse_gmt

SCHEMES = {"mysql", "mariadb", "mysql+pymysql", "mariadb+pymysql"}
CORE_TABLES = ("posts", "postmeta", "comments", "commentmeta", "users", "options", "terms", "term_taxonomy", "term_relationships")  # fmt: skip
OPTIONAL_TABLES = ("usermeta",)  # authors' first and last names, as the export gives them
WPDISCUZ_TABLES = ("wc_users_voted", "wc_comments_subscription", "wc_follow_users", "wc_feedback_forms")  # fmt: skip
POST_BATCH = 100  # posts per batch; their comments and meta are read with them
FETCH = 1000  # rows fetched at a time from a server-side cursor
# What WordPress's export leaves out: revisions, menus, editor state (not content).
NOT_EXPORTED = ("revision", "nav_menu_item", "customize_changeset", "oembed_cache", "user_request", "wp_global_styles", "wp_navigation", "wp_template", "wp_template_part", "wp_block")  # fmt: skip
SKIPPED_POSTMETA = {"_edit_lock"}  # as WordPress's export


@dataclass(frozen=True, slots=True)
class DatabaseAddress:
    host: str
    port: int
    user: str
    password: str
    database: str
    unix_socket: str = ""

    def describe(self) -> str:
        """The address without its password, for messages."""
        where = self.unix_socket or f"{self.host}:{self.port}"
        return f"{self.user}@{where}/{self.database}"


def parse_database_url(url: str) -> DatabaseAddress:
    """`mysql://user:pass@host[:port]/database` (or `mariadb://`; `?unix_socket=/path`)."""
    try:
        parsed = urlparse(url.strip())
        port = parsed.port or 3306
    except ValueError as error:
        raise SourceError(f"--db: not a database URL ({error})") from None
    scheme = parsed.scheme.lower()
    if scheme not in SCHEMES:
        raise SourceError(
            "--db: expected mysql://USER:PASSWORD@HOST[:PORT]/DATABASE "
            f"(or mariadb://...), not {scheme + '://' if scheme else 'this'}"
        )
    database = unquote(parsed.path.lstrip("/"))
    if not database or "/" in database:
        raise SourceError("--db: the URL names no database (mysql://USER:PASSWORD@HOST/DATABASE)")
    socket = ""
    for part in parsed.query.split("&"):
        name, _, value = part.partition("=")
        if name == "unix_socket":
            socket = unquote(value)
    if not parsed.hostname and not socket:
        raise SourceError("--db: the URL names no host (mysql://USER:PASSWORD@HOST/DATABASE)")
    return DatabaseAddress(
        host=parsed.hostname or "localhost",
        port=port,
        user=unquote(parsed.username or ""),
        password=unquote(parsed.password or ""),
        database=database,
        unix_socket=socket,
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


class WordPressDatabase:
    """One connection to the old site's database; every read is one of its methods."""

    def __init__(self, url: str, prefix: str = "wp_") -> None:
        self.address = parse_database_url(url)
        if not prefix.replace("_", "").isalnum():
            raise SourceError(f"--prefix {prefix!r}: letters, digits and underscores only")
        self.prefix = prefix
        self._connection: Any = None
        self._options: dict[str, str] | None = None
        self.wpdiscuz: set[str] = set()
        self.optional: set[str] = set()
        self._users: dict[str, WxrAuthor] | None = None
        self._websites: dict[str, str] = {}

    # --- the connection ------------------------------------------------------------------------

    def connect(self) -> Any:
        if self._connection is not None:
            return self._connection
        try:
            import pymysql
            import pymysql.cursors
        except ImportError:
            raise SourceError(
                "--db needs the MySQL driver: pip install 'masthead[mysql]' (PyMySQL)"
            ) from None
        address = self.address
        try:
            self._connection = pymysql.connect(
                host=address.host,
                port=address.port,
                user=address.user,
                password=address.password,
                database=address.database,
                unix_socket=address.unix_socket or None,
                charset="utf8mb4",
                connect_timeout=10,
                # TIMESTAMP columns (wpDiscuz's dates) are then read in UTC, whatever the server's zone.
                init_command="SET time_zone = '+00:00'",
                read_timeout=600,
                cursorclass=pymysql.cursors.SSCursor,
            )
        except pymysql.err.MySQLError as error:
            raise SourceError(f"--db {address.describe()}: {_reason(error)}") from None
        self.check_tables()
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # already gone: nothing to release
                self._connection.close()
            self._connection = None

    def table(self, name: str) -> str:
        return f"`{self.prefix}{name}`"

    def rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """The query's rows, streamed from a server-side cursor, `FETCH` at a time."""
        connection = self.connect()  # first: it says so when the driver is missing
        import pymysql

        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, tuple(params))
                while True:
                    batch = cursor.fetchmany(FETCH)
                    if not batch:
                        break
                    yield from batch
        except pymysql.err.MySQLError as error:
            raise SourceError(f"--db {self.address.describe()}: {_reason(error)}") from None

    def check_tables(self) -> None:
        import pymysql

        try:
            with self._connection.cursor() as cursor:
                cursor.execute("SHOW TABLES")
                present = {_text(row[0]) for row in cursor.fetchall()}
        except pymysql.err.MySQLError as error:
            raise SourceError(f"--db {self.address.describe()}: {_reason(error)}") from None
        missing = [name for name in CORE_TABLES if f"{self.prefix}{name}" not in present]
        if missing:
            others = sorted({name[: -len("posts")] for name in present if name.endswith("posts")})
            hint = (
                f" (tables here have the prefix {', '.join(others)}: use --prefix)"
                if others
                else ""
            )
            raise SourceError(
                f"--db {self.address.describe()}: not a WordPress database with prefix "
                f"{self.prefix!r}: no table {', '.join(self.prefix + name for name in missing)}{hint}"
            )
        self.wpdiscuz = {name for name in WPDISCUZ_TABLES if f"{self.prefix}{name}" in present}
        self.optional = {name for name in OPTIONAL_TABLES if f"{self.prefix}{name}" in present}

    # --- the site ------------------------------------------------------------------------------

    def options(self) -> dict[str, str]:
        if self._options is None:
            wanted = ("siteurl", "home", "blogname", "permalink_structure", "sticky_posts")
            marks = ", ".join(["%s"] * len(wanted))
            self._options = {
                _text(name): _text(value)
                for name, value in self.rows(
                    f"SELECT option_name, option_value FROM {self.table('options')} "  # noqa: S608 - the prefix is checked
                    f"WHERE option_name IN ({marks})",
                    wanted,
                )
            }
        return self._options

    def channel(self) -> WxrChannel:
        options = self.options()
        home = options.get("home", "").rstrip("/") or options.get("siteurl", "").rstrip("/")
        return WxrChannel(
            title=options.get("blogname", ""),
            link=home,
            base_site_url=options.get("siteurl", "").rstrip("/") or home,
            base_blog_url=home,
            wxr_version="db",
        )

    def sticky(self) -> set[str]:
        try:
            value = php_unserialize(self.options().get("sticky_posts", "") or "a:0:{}")
        except (PhpSerializeError, ValueError):
            return set()
        return {str(item) for item in value.values()} if isinstance(value, dict) else set()

    def users(self) -> dict[str, WxrAuthor]:
        """Every account of the old site, by user id (the export lists only posts' authors)."""
        if self._users is None:
            self._users = {}
            for user_id, login, email, display_name, url in self.rows(
                f"SELECT ID, user_login, user_email, display_name, user_url FROM {self.table('users')} ORDER BY ID"  # noqa: S608
            ):
                self._users[str(user_id)] = WxrAuthor(
                    author_id=str(user_id),
                    login=_text(login),
                    email=_text(email),
                    display_name=_text(display_name),
                )
                self._websites[str(user_id)] = _text(url)
            if "usermeta" in self.optional:
                for user_id, key, value in self.rows(
                    f"SELECT user_id, meta_key, meta_value FROM {self.table('usermeta')} "  # noqa: S608
                    "WHERE meta_key IN ('first_name', 'last_name') ORDER BY umeta_id"
                ):
                    user = self._users.get(str(user_id))
                    if user is not None and _text(key) == "first_name":
                        user.first_name = _text(value)
                    elif user is not None:
                        user.last_name = _text(value)
        return self._users

    def source_user(self, user_id: str) -> SourceUser | None:
        user = self.users().get(user_id)
        if user is None:
            return None
        return SourceUser(
            source_id=user_id,
            name=user.display_name or user.login,
            email=user.email,
            website=self._websites.get(user_id, ""),
            verified=True,
        )

    def people_and_media(
        self,
    ) -> tuple[dict[str, WxrAuthor], dict[str, Attachment], dict[str, WxrTerm]]:
        """Authors by login, media by post id, categories by term id (as the WXR reader's)."""
        authors = {author.login: author for author in self.users().values()}
        categories = {
            str(term_id): WxrTerm(
                taxonomy="category",
                slug=_text(slug),
                name=_text(name),
                term_id=str(term_id),
                description=_text(description),
            )
            for term_id, slug, name, description in self.rows(
                f"SELECT t.term_id, t.slug, t.name, tt.description "  # noqa: S608
                f"FROM {self.table('terms')} t "
                f"JOIN {self.table('term_taxonomy')} tt ON tt.term_id = t.term_id "
                "WHERE tt.taxonomy = 'category'"
            )
        }
        attachments: dict[str, Attachment] = {}
        uploads = f"{self.options().get('siteurl', '').rstrip('/')}/wp-content/uploads/"
        for post_id, title, excerpt, guid, file, alt in self.rows(
            f"SELECT p.ID, p.post_title, p.post_excerpt, p.guid, "  # noqa: S608
            f"(SELECT meta_value FROM {self.table('postmeta')} m WHERE m.post_id = p.ID "
            "AND m.meta_key = '_wp_attached_file' LIMIT 1), "
            f"(SELECT meta_value FROM {self.table('postmeta')} m WHERE m.post_id = p.ID "
            "AND m.meta_key = '_wp_attachment_image_alt' LIMIT 1) "
            f"FROM {self.table('posts')} p WHERE p.post_type = 'attachment' ORDER BY p.ID"
        ):
            relative = _text(file)
            attachments[str(post_id)] = Attachment(
                url=uploads + relative if relative else _text(guid),
                title=_text(title),
                caption=_text(excerpt),
                alt=_text(alt),
                file=relative,
            )
        return authors, attachments, categories

    # --- posts ---------------------------------------------------------------------------------

    def items(self, notes: ImportNotes) -> Iterator[tuple[WxrItem, WpDiscuzPost]]:
        """Every post, page and other exported item but attachments, with its comments and meta,
        and wpDiscuz's rows about it; in batches of `POST_BATCH` posts."""
        users = self.users()
        sticky = self.sticky()
        structure = self.options().get("permalink_structure", "")
        home = self.channel().base_blog_url
        excluded = ", ".join(["%s"] * len(NOT_EXPORTED))
        last = 0
        if "wc_follow_users" in self.wpdiscuz:
            self.report_follows(notes)
        absent = [self.prefix + name for name in WPDISCUZ_TABLES if name not in self.wpdiscuz]
        if absent:
            notes.note(
                f"no wpDiscuz table {', '.join(absent)}: what it holds is not imported "
                "(a site without wpDiscuz has none)"
            )
        while True:
            batch: list[WxrItem] = []
            for row in self.rows(
                "SELECT ID, post_type, post_title, post_author, post_content, post_excerpt, "  # noqa: S608
                "post_name, post_status, CAST(post_date AS CHAR), CAST(post_date_gmt AS CHAR), "
                f"post_parent, comment_status, guid FROM {self.table('posts')} "
                f"WHERE ID > %s AND post_type <> 'attachment' AND post_type NOT IN ({excluded}) "
                "AND post_status <> 'auto-draft' ORDER BY ID LIMIT %s",
                (last, *NOT_EXPORTED, POST_BATCH),
            ):
                (post_id, post_type, title, author, content, excerpt, name, status, date,
                 date_gmt, parent, comment_status, _guid) = row  # fmt: skip
                author_row = users.get(str(author))
                item = WxrItem(
                    post_id=str(post_id),
                    post_type=_text(post_type),
                    title=_text(title),
                    link="",
                    creator=author_row.login if author_row else "",
                    content=_text(content),
                    excerpt=_text(excerpt),
                    post_name=_text(name),
                    status=_text(status),
                    post_date=_text(date),
                    post_date_gmt=_text(date_gmt),
                    post_parent=str(parent or 0),
                    is_sticky=str(post_id) in sticky,
                    comment_status=_text(comment_status),
                    attachment_url="",
                )
                batch.append(item)
            if not batch:
                return
            last = int(batch[-1].post_id)
            by_id = {item.post_id: item for item in batch}
            self.read_meta(by_id)
            self.read_terms(by_id)
            self.read_comments(by_id)
            extras = self.read_wpdiscuz(by_id, notes)
            for item in batch:
                item.link = permalink(item, structure, home, users)
                yield item, extras.get(item.post_id) or WpDiscuzPost()

    def _in(self, ids: Sequence[str]) -> str:
        return ", ".join(str(int(value)) for value in ids)  # ids are the database's own integers

    def read_meta(self, items: dict[str, WxrItem]) -> None:
        for post_id, key, value in self.rows(
            f"SELECT post_id, meta_key, meta_value FROM {self.table('postmeta')} "  # noqa: S608
            f"WHERE post_id IN ({self._in(list(items))}) ORDER BY meta_id"
        ):
            key = _text(key)
            if key not in SKIPPED_POSTMETA:
                items[str(post_id)].meta[key] = _text(value)

    def read_terms(self, items: dict[str, WxrItem]) -> None:
        # As the export lists them: every taxonomy's terms of the post, by name.
        for post_id, taxonomy, slug, name in self.rows(
            "SELECT tr.object_id, tt.taxonomy, t.slug, t.name "  # noqa: S608
            f"FROM {self.table('term_relationships')} tr "
            f"JOIN {self.table('term_taxonomy')} tt ON tt.term_taxonomy_id = tr.term_taxonomy_id "
            f"JOIN {self.table('terms')} t ON t.term_id = tt.term_id "
            f"WHERE tr.object_id IN ({self._in(list(items))}) ORDER BY tr.object_id, t.name"
        ):
            items[str(post_id)].terms.append((_text(taxonomy), _text(slug), _text(name)))

    def read_comments(self, items: dict[str, WxrItem]) -> None:
        ids = self._in(list(items))
        by_id: dict[str, WxrComment] = {}
        for row in self.rows(
            "SELECT comment_ID, comment_post_ID, comment_parent, comment_author, "  # noqa: S608
            "comment_author_email, comment_author_url, comment_author_IP, "
            "CAST(comment_date AS CHAR), CAST(comment_date_gmt AS CHAR), comment_content, "
            f"comment_approved, comment_type, user_id FROM {self.table('comments')} "
            f"WHERE comment_post_ID IN ({ids}) ORDER BY comment_ID"
        ):
            (comment_id, post_id, parent, author, email, url, ip, date, date_gmt, content,
             approved, comment_type, user_id) = row  # fmt: skip
            comment = WxrComment(
                comment_id=str(comment_id),
                parent_id=str(parent or 0),
                author=_text(author),
                author_email=_text(email).strip(),
                author_url=_text(url).strip(),
                author_ip=_text(ip).strip(),
                date=_text(date),
                date_gmt=_text(date_gmt),
                content=_text(content),
                approved=_text(approved).strip(),
                comment_type=_text(comment_type).strip() or "comment",
                user_id=str(user_id or 0),
            )
            by_id[comment.comment_id] = comment
            items[str(post_id)].comments.append(comment)
        if not by_id:
            return
        for comment_id, key, value in self.rows(
            "SELECT m.comment_id, m.meta_key, m.meta_value "  # noqa: S608
            f"FROM {self.table('commentmeta')} m JOIN {self.table('comments')} c "
            f"ON c.comment_ID = m.comment_id WHERE c.comment_post_ID IN ({ids}) ORDER BY m.meta_id"
        ):
            owner = by_id.get(str(comment_id))
            if owner is not None:
                owner.meta[_text(key)] = _text(value)

    def read_wpdiscuz(
        self, items: dict[str, WxrItem], notes: ImportNotes
    ) -> dict[str, WpDiscuzPost]:
        ids = self._in(list(items))
        extras: dict[str, WpDiscuzPost] = {}
        post_of = {c.comment_id: item.post_id for item in items.values() for c in item.comments}

        def extra(post_id: str) -> WpDiscuzPost:
            return extras.setdefault(post_id, WpDiscuzPost())

        if "wc_users_voted" in self.wpdiscuz:
            for vote_id, user_id, comment_id, value, is_guest in self.rows(
                "SELECT v.id, v.user_id, v.comment_id, v.vote_type, v.is_guest "  # noqa: S608
                f"FROM {self.table('wc_users_voted')} v JOIN {self.table('comments')} c "
                f"ON c.comment_ID = v.comment_id WHERE c.comment_post_ID IN ({ids}) ORDER BY v.id"
            ):
                post_id = post_of.get(str(comment_id))
                voter = _text(user_id).strip()
                if post_id is None or not voter or not value:
                    notes.skip(Skip("vote", str(vote_id), "no voter, no value or no comment"))
                    notes.count("vote", "skipped")
                    continue
                key = voter_key(voter, bool(is_guest))
                post = extra(post_id)
                post.votes.setdefault(str(comment_id), []).append((key, 1 if value > 0 else -1))
                if not is_guest:
                    user = self.source_user(voter)
                    if user is not None:
                        post.voters.setdefault(voter, user)
        if "wc_comments_subscription" in self.wpdiscuz:
            found: dict[str, list[Any]] = {}
            for row in self.rows(
                "SELECT id, email, subscribtion_id, post_id, subscribtion_type, confirm, "  # noqa: S608
                f"CAST(subscription_date AS CHAR) FROM {self.table('wc_comments_subscription')} "
                f"WHERE post_id IN ({ids}) ORDER BY id"
            ):
                (row_id, email, target, post_id, kind, confirm, date) = row
                item = subscription(
                    _text(email),
                    _text(kind).strip(),
                    str(target),
                    bool(confirm),
                    _utc(_text(date)),
                    f"wc_comments_subscription:{row_id}",
                    notes,
                )
                if item is not None:
                    found.setdefault(str(post_id), []).append(item)
            for post_id, listed in found.items():
                extra(post_id).subscriptions = merge_thread_subscriptions(listed, notes, post_id)
        if "wc_feedback_forms" in self.wpdiscuz:
            for form_id, post_id, unique_id, question, passage in self.rows(
                "SELECT id, post_id, unique_id, question, content "  # noqa: S608
                f"FROM {self.table('wc_feedback_forms')} WHERE post_id IN ({ids}) ORDER BY id"
            ):
                extra(str(post_id)).forms.append(
                    FeedbackForm(str(form_id), _text(unique_id), _text(question), _text(passage))
                )
        return extras

    def report_follows(self, notes: ImportNotes) -> None:
        for (follow_id,) in self.rows(
            f"SELECT id FROM {self.table('wc_follow_users')} ORDER BY id"  # noqa: S608
        ):
            notes.skip(Skip("follow", str(follow_id), NO_FOLLOWS))
            notes.count("follow", "skipped")


def _utc(value: str) -> dt.datetime | None:
    """A MySQL TIMESTAMP, read in UTC (the connection's zone is set so)."""
    return parse_gmt(value)


def permalink(item: WxrItem, structure: str, home: str, users: dict[str, WxrAuthor]) -> str:
    """The post's address as WordPress's get_permalink() gives it (the WXR `<link>`)."""
    base = home.rstrip("/")
    # WordPress gives these their plain link (get_permalink's "draft or pending", and trash).
    unpublished = item.status in {"draft", "pending", "auto-draft", "future", "trash"}
    if item.post_type == "page":
        if not structure or unpublished or not item.post_name:
            return f"{base}/?page_id={item.post_id}"
        return f"{base}/{item.post_name}/"
    if item.post_type != "post" or not structure or unpublished or not item.post_name:
        return f"{base}/?p={item.post_id}"
    date = item.post_date if len(item.post_date) >= 19 else "0000-00-00 00:00:00"
    category = next((slug for taxonomy, slug, _ in item.terms if taxonomy == "category"), "")
    author = next((u.login for u in users.values() if u.login == item.creator), "")
    values = {
        "%year%": date[0:4],
        "%monthnum%": date[5:7],
        "%day%": date[8:10],
        "%hour%": date[11:13],
        "%minute%": date[14:16],
        "%second%": date[17:19],
        "%postname%": item.post_name,
        "%post_id%": item.post_id,
        "%category%": category or "uncategorized",
        "%author%": author,
    }
    path = structure
    for tag, value in values.items():
        path = path.replace(tag, value)
    return f"{base}{path}"


def _reason(error: Exception) -> str:
    """The server's or driver's reason, in one line, without the driver's tuple."""
    args: tuple[Any, ...] = tuple(getattr(error, "args", ()))
    code = args[0] if args and isinstance(args[0], int) else None
    message = str(args[1]) if len(args) > 1 else str(error)
    message = message.splitlines()[0] if message else type(error).__name__
    if code in (1045, 1698):
        return "access denied: wrong user name or password"
    if code == 1049:
        return "no such database"
    if code in (2003, 2002, 2005, 2006, 2013):
        return f"cannot reach the database server ({message})"
    return f"{message} (error {code})" if code else message
