"""`masthead import wordpress EXPORT.xml [--uploads DIR] [--with-pingbacks] [--dry-run]`, or
`masthead import wordpress --db mysql://USER:PASSWORD@HOST/DATABASE [--prefix wp_] ...`.

The export is read twice, both times streamed: first for its authors and media (a post's featured
image is often listed after the post), then for its posts. A broken file therefore fails in the first
pass, before anything is written. Each post becomes an article (`articles.py`), and then one
`SourceThread` with `page_id` set and its comments, for the writer to turn into rows.

With `--db` the same records are read from the site's database (`database.py`), plus what only the
database holds: spam, and wpDiscuz's per-voter votes, subscriptions and feedback forms
(`wpdiscuz.py`). Both name the source alike ("wordpress:HOST"), so importing a site's export and
then its database updates the same rows.
"""

from __future__ import annotations

import argparse
import html
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlparse

from masthead.migration.records import (
    ImportedStatus,
    Skip,
    SourceComment,
    SourceThread,
    SourceUser,
)
from masthead.migration.sources import ImportNotes, SourceError

from . import redirects
from .articles import ArticleImporter, Attachment
from .serialized import wpdiscuz_votes
from .wpdiscuz import CLOSED_META, FEEDBACK_META, WpDiscuzPost, prompt_block_id
from .wxr import WxrAuthor, WxrChannel, WxrComment, WxrItem, WxrTerm, parse_gmt, read_wxr

STATUSES = {
    "1": ImportedStatus.APPROVED,
    "approve": ImportedStatus.APPROVED,
    "0": ImportedStatus.PENDING,
    "hold": ImportedStatus.PENDING,
    "spam": ImportedStatus.SPAM,
    "trash": ImportedStatus.REMOVED,
    "post-trashed": ImportedStatus.REMOVED,
}
PINGBACK_TYPES = {"pingback", "trackback"}
STICKY_TYPE = "wpdiscuz_sticky"
SOURCE_MAX_LENGTH = 40  # ImportedObject.source
POST_BATCH = 50  # posts whose articles are written together


class WordPressSource:
    name: ClassVar[str] = "wordpress"
    help: ClassVar[str] = (
        "A WordPress export (Tools -> Export, WXR 1.1/1.2), or the site's MySQL/MariaDB "
        "database (--db): posts become articles, comments (with wpDiscuz votes and pins) their "
        "discussions, old links redirect."
    )

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "export", type=Path, nargs="?", default=None, help="The WXR file WordPress exported."
        )
        parser.add_argument(
            "--db",
            metavar="URL",
            default=None,
            help="Read the site's database instead of an export: mysql://USER:PASSWORD@HOST"
            "[:PORT]/DATABASE (or mariadb://). Adds spam and wpDiscuz's per-voter votes, "
            "subscriptions and feedback forms. Needs the `mysql` extra (PyMySQL).",
        )
        parser.add_argument(
            "--prefix",
            default="wp_",
            help="The WordPress table prefix ($table_prefix in wp-config.php; default wp_).",
        )
        parser.add_argument(
            "--uploads",
            type=Path,
            default=None,
            help="The old site's wp-content/uploads folder: images are imported from it "
            "(without it they stay links to their old URLs; nothing is downloaded).",
        )
        parser.add_argument(
            "--with-pingbacks",
            action="store_true",
            help="Keep pingbacks and trackbacks (as their own kind, never as reader comments).",
        )

    def __init__(self, options: Mapping[str, object]) -> None:
        export = options.get("export")
        self.path = Path(str(export)) if export else Path()
        self.has_export = bool(export)
        db = options.get("db")
        self.db_url = str(db) if db else ""
        self.prefix = str(options.get("prefix") or "wp_")
        self._database: Any = None
        uploads = options.get("uploads")
        self.uploads = Path(str(uploads)) if uploads else None
        self.with_pingbacks = bool(options.get("with_pingbacks"))
        self.dry_run = bool(options.get("dry_run"))
        self._channel: WxrChannel | None = None

    def database(self) -> Any:
        """The `--db` reader (its module imports the MySQL driver only when it connects)."""
        if self._database is None:
            if self.has_export:
                raise SourceError("give either an export file or --db, not both")
            from .database import WordPressDatabase

            self._database = WordPressDatabase(self.db_url, self.prefix)
        return self._database

    def channel(self) -> WxrChannel:
        if self._channel is None and self.db_url:
            self._channel = self.database().channel()
        if self._channel is None:
            if not self.has_export:
                raise SourceError("name the export file (EXPORT.xml) or the database (--db URL)")
            for record in read_wxr(self.path):
                if isinstance(record, WxrChannel):
                    self._channel = record
                    break
            else:  # pragma: no cover - read_wxr yields the channel or raises
                raise SourceError(f"{self.path.name}: is not a WordPress export (WXR)")
        return self._channel

    def source_key(self) -> str:
        site = self.channel().base_blog_url or self.channel().link
        parsed = urlparse(site)
        name = (parsed.hostname or "") + parsed.path.rstrip("/")
        return f"wordpress:{name or 'site'}"[:SOURCE_MAX_LENGTH]

    def threads(self, notes: ImportNotes) -> Iterator[SourceThread]:
        if self.uploads is not None and not self.uploads.is_dir():
            raise SourceError(f"--uploads {self.uploads}: is not a folder")
        channel = self.channel()
        try:
            yield from self._threads(channel, notes)
        finally:
            if self._database is not None:
                self._database.close()

    def _threads(self, channel: WxrChannel, notes: ImportNotes) -> Iterator[SourceThread]:
        if self.db_url:
            authors, attachments, categories = self.database().people_and_media()
        else:
            authors, attachments, categories = self.read_people_and_media()
        authors_by_id = {author.author_id: author for author in authors.values()}
        importer = ArticleImporter(
            source=self.source_key(),
            base_url=channel.base_blog_url,
            notes=notes,
            uploads=self.uploads,
            authors=authors,
            attachments=attachments,
            category_slugs={term_id: term.slug for term_id, term in categories.items()},
            category_descriptions={
                term.slug: term.description for term in categories.values() if term.description
            },
            dry_run=self.dry_run,
        )
        batch: list[tuple[WxrItem, WpDiscuzPost]] = []
        for record, wpdiscuz in self.items(notes):
            if record.post_type != "post" or record.status == "auto-draft":
                self.skip_item(record, notes, wpdiscuz)
                continue
            batch.append((record, wpdiscuz))
            # Articles are written a batch at a time (few statements for many pages); the batch
            # holds its posts' comments until their threads are written, so memory stays flat.
            if len(batch) == POST_BATCH:
                yield from self.batch_threads(importer, batch, authors_by_id, notes)
                batch = []
        yield from self.batch_threads(importer, batch, authors_by_id, notes)
        importer.finish()
        redirects.redirect_site_feeds(channel.base_blog_url)

    def batch_threads(
        self,
        importer: ArticleImporter,
        batch: list[tuple[WxrItem, WpDiscuzPost]],
        authors_by_id: dict[str, WxrAuthor],
        notes: ImportNotes,
    ) -> Iterator[SourceThread]:
        if not batch:
            return
        items = [item for item, _ in batch]
        forms = {item.post_id: wpdiscuz.forms for item, wpdiscuz in batch if wpdiscuz.forms}
        articles = importer.import_posts(items, forms)
        for (item, wpdiscuz), article in zip(batch, articles, strict=True):
            if article is not None:
                thread = self.thread(item, article.pk, authors_by_id, notes)
                self.add_wpdiscuz(thread, article, wpdiscuz, notes)
                yield thread

    def items(self, notes: ImportNotes) -> Iterator[tuple[WxrItem, WpDiscuzPost]]:
        """Posts (and the other items an export holds, but media), with wpDiscuz's rows."""
        if self.db_url:
            yield from self.database().items(notes)
            return
        for record in read_wxr(self.path):
            if isinstance(record, WxrItem) and record.post_type != "attachment":
                yield record, WpDiscuzPost()

    def add_wpdiscuz(
        self, thread: SourceThread, article: Any, wpdiscuz: WpDiscuzPost, notes: ImportNotes
    ) -> None:
        """Votes by voter, subscriptions and answers to feedback forms (read with --db only)."""
        if self.db_url:  # accounts as the users table has them, not as each comment wrote them
            thread.users[:] = [
                self.database().source_user(user.source_id) or user for user in thread.users
            ]
        known = {user.source_id for user in thread.users}
        thread.users.extend(user for key, user in wpdiscuz.voters.items() if key not in known)
        thread.subscriptions.extend(wpdiscuz.subscriptions)
        answers: dict[str, dict[str, Any]] = {}
        if wpdiscuz.forms:
            answers = self.prompt_targets(article, wpdiscuz, notes)
        for comment in thread.comments:
            comment.votes = list(wpdiscuz.votes.get(comment.source_id, []))
            form_id = str(comment.extra.pop("feedback_form", "") or "")
            if form_id and comment.parent_id is None and form_id in answers:
                comment.extra["inline_target"] = answers[form_id]

    def prompt_targets(
        self, article: Any, wpdiscuz: WpDiscuzPost, notes: ImportNotes
    ) -> dict[str, dict[str, Any]]:
        """Form id -> the inline target of an answer to the prompt made from it."""
        from masthead.core.errors import ApiError
        from masthead.discussion.blocks import prompt_passages
        from masthead.discussion.inline.matching import article_text, complete_target

        body = article.specific.body
        passages = prompt_passages(body)
        text = article_text(body)
        targets: dict[str, dict[str, Any]] = {}
        for form in wpdiscuz.forms:
            block_id = prompt_block_id(self.source_key(), form.unique_id)
            if block_id not in passages:
                continue
            try:
                targets[form.form_id] = complete_target(
                    text,
                    {"prompt": block_id},
                    source=article.full_url or "",
                    prompt_passages=passages,
                )
            except ApiError as error:  # the prompt's passage is not where readers can select it
                notes.skip(
                    Skip("prompt", form.unique_id, f"answers kept as comments: {error.message}")
                )
        return targets

    def read_people_and_media(
        self,
    ) -> tuple[dict[str, WxrAuthor], dict[str, Attachment], dict[str, WxrTerm]]:
        """Authors by login, media by post id, categories by term id: all small, kept."""
        authors: dict[str, WxrAuthor] = {}
        attachments: dict[str, Attachment] = {}
        categories: dict[str, WxrTerm] = {}
        for record in read_wxr(self.path, with_comments=False):
            if isinstance(record, WxrAuthor):
                authors[record.login] = record
            elif isinstance(record, WxrTerm) and record.taxonomy == "category" and record.term_id:
                categories[record.term_id] = record
            elif isinstance(record, WxrItem) and record.post_type == "attachment":
                attachments[record.post_id] = Attachment(
                    url=record.attachment_url or record.link,
                    title=record.title,
                    caption=record.excerpt,
                    alt=record.meta.get("_wp_attachment_image_alt", ""),
                    file=record.meta.get("_wp_attached_file", ""),
                )
        return authors, attachments, categories

    def skip_item(
        self, item: WxrItem, notes: ImportNotes, wpdiscuz: WpDiscuzPost | None = None
    ) -> None:
        kind = item.post_type or "item"
        reason = (
            "an unsaved draft (auto-draft)"
            if item.status == "auto-draft"
            else f"a WordPress {kind}, not a post: not imported as an article"
        )
        notes.skip(Skip(kind, item.post_id, reason))
        for comment in item.comments:
            notes.skip(Skip("comment", comment.comment_id, f"on a {kind} that is not imported"))
        for subscription in wpdiscuz.subscriptions if wpdiscuz else []:
            where = subscription.comment_id or item.post_id
            notes.skip(Skip("subscription", where, f"to a {kind} that is not imported"))
            notes.count("subscription", "skipped")

    def thread(
        self,
        item: WxrItem,
        page_id: int,
        authors_by_id: dict[str, WxrAuthor],
        notes: ImportNotes,
    ) -> SourceThread:
        closed = item.comment_status == "closed" or _truthy(item.meta.get("wpdiscuz_closed", ""))
        thread = SourceThread(
            source_id=item.post_id,
            url=item.link,
            title=html.unescape(item.title),
            page_id=page_id,
            closed=closed,
            created_at=parse_gmt(item.post_date_gmt),
        )
        users: dict[str, SourceUser] = {}
        for comment in item.comments:
            record = self.comment(comment, authors_by_id, notes)
            if record is not None:
                thread.comments.append(record)
                user = record.extra.get("user")
                if isinstance(user, SourceUser):
                    users.setdefault(user.source_id, user)
        # The writer's list of accounts (records.SourceThread.users, where the record has it).
        listed = getattr(thread, "users", None)
        if isinstance(listed, list):
            listed.extend(users.values())
        return thread

    def comment(
        self, comment: WxrComment, authors_by_id: dict[str, WxrAuthor], notes: ImportNotes
    ) -> SourceComment | None:
        kind = comment.comment_type if comment.comment_type in PINGBACK_TYPES else "comment"
        if kind != "comment" and not self.with_pingbacks:
            notes.skip(Skip(kind, comment.comment_id, kind))
            notes.count(kind, "skipped")
            return None
        upvotes, downvotes = wpdiscuz_votes(comment.meta)
        created = parse_gmt(comment.date_gmt) or parse_gmt(comment.date)
        if created is None:
            notes.skip(Skip("comment", comment.comment_id, "no date: not imported"))
            return None
        user_id = comment.user_id if comment.user_id not in ("", "0") else None
        record = SourceComment(
            source_id=comment.comment_id,
            parent_id=comment.parent_id if comment.parent_id not in ("", "0") else None,
            author_name=html.unescape(comment.author).strip(),
            body=comment_html(comment.content),
            created_at=created,
            status=STATUSES.get(comment.approved, ImportedStatus.PENDING),
            body_is_html=True,
            author_email=comment.author_email,
            author_website=comment.author_url,
            author_ip=comment.author_ip,
            user_id=user_id,
            upvotes=upvotes,
            downvotes=downvotes,
            is_pinned=comment.comment_type == STICKY_TYPE,
            kind=kind,
        )
        record.extra["wordpress_status"] = comment.approved
        if comment.meta.get(FEEDBACK_META, "").strip():
            record.extra["feedback_form"] = comment.meta[FEEDBACK_META].strip()
        if _truthy(comment.meta.get(CLOSED_META, "")):
            # wpDiscuz can close one comment to replies; Masthead closes whole threads.
            notes.skip(
                Skip(
                    "comment",
                    comment.comment_id,
                    "closed to replies in wpDiscuz: Masthead closes threads, not one comment; "
                    "imported open",
                )
            )
        if user_id is not None:
            known = authors_by_id.get(user_id)
            # WXR lists only authors of posts; a commenting subscriber is known by the comment.
            record.extra["user"] = SourceUser(
                source_id=user_id,
                name=html.unescape(known.display_name if known else comment.author).strip(),
                email=known.email if known else comment.author_email,
                website=comment.author_url,
                verified=True,
            )
        return record


def comment_html(text: str) -> str:
    """A WordPress comment as the site's sanitised HTML: blank lines are paragraphs, newlines breaks
    (WordPress adds both on display), and only the comment allow-list of tags survives."""
    from masthead.discussion.rendering import sanitise

    paragraphs = [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]
    markup = "".join(f"<p>{part.replace(chr(10), '<br>')}</p>" for part in paragraphs)
    return sanitise(markup)


def _truthy(value: str) -> bool:
    return value.strip().lower() not in ("", "0", "false", "no", "off")
