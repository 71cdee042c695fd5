"""`masthead import wordpress --db mysql://...`: the real WordPress site's database on MariaDB.

The database (data/wordpress-6.1-wpdiscuz.sql) and the export (data/wordpress-6.1-wpdiscuz.xml) are
the same site, made by the real WordPress (data/make_wordpress_db.sh), so the two imports can be
compared; the database adds spam and wpDiscuz's own tables.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

from masthead.migration.models import ImportedObject, ImportRun

from .conftest import WORDPRESS_DB_EXPORT, run

# WordPress ids in the fixture site.
BUDGET, FERRY, NEW_TIMES = "5", "7", "14"
MARTA_TOP, LEA_REPLY, MARTA_REPLY, JONAS, PENDING, SPAM, TRASHED = "2", "3", "4", "5", "6", "7", "8"
STICKY, ANSWER, CLOSED_COMMENT, SPAM_2 = "10", "14", "16", "17"
RANIA, TOM, LEA = "2", "3", "4"


def imported(kind: str, source_id: str) -> Any:
    from masthead.discussion.models import Comment, Thread
    from masthead.publishing.models import ArticlePage

    model = {"comment": Comment, "thread": Thread, "article": ArticlePage, "user": None}[kind]
    row = ImportedObject.objects.get(kind=kind, source_id=source_id)
    if model is None:
        from django.contrib.auth import get_user_model

        return get_user_model().objects.get(pk=row.object_id)
    return model.objects.get(pk=row.object_id)


def comments_by_wordpress_id() -> dict[str, dict[str, Any]]:
    """Every imported comment as a reader and a moderator see it, by WordPress comment id."""
    from masthead.discussion.models import Comment

    rows = {row.object_id: row.source_id for row in ImportedObject.objects.filter(kind="comment")}
    result = {}
    for comment in Comment.objects.all():
        result[rows[str(comment.pk)]] = {
            "thread": comment.thread.page.slug if comment.thread.page else comment.thread.url,
            "parent": rows.get(str(comment.parent_id)),
            "depth": comment.depth,
            "author": comment.author_name,
            "email": comment.author_email,
            "html": comment.html,
            "status": comment.status,
            "created_at": comment.created_at,
            "pinned": comment.is_pinned,
            "user": comment.user.display_name if comment.user else None,
        }
    return result


def articles() -> dict[str, tuple[Any, ...]]:
    from masthead.publishing.models import ArticlePage

    return {
        page.slug: (
            page.title,
            page.standfirst,
            page.live,
            page.first_published_at,
            page.get_parent().slug,
            sorted(page.tags.names()),
            [block.block_type for block in page.body],
        )
        for page in ArticlePage.objects.all()
    }


class Quiet:
    """A report that listens to nothing (the reader alone is under test)."""

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        pass

    def skip(self, skip: Any) -> None:
        pass

    def note(self, text: str) -> None:
        pass


def last_report() -> dict[str, Any]:
    report: dict[str, Any] = ImportRun.objects.order_by("-pk").first().report  # type: ignore[union-attr]
    return report


def test_the_database_reader_yields_the_records_the_export_reader_yields(wordpress_db: str) -> None:
    """Post by post, field by field: the same site read from its database and from WordPress's own
    export of it; the database has the spam the export leaves out."""
    from dataclasses import asdict

    from masthead.migration.wordpress.database import WordPressDatabase
    from masthead.migration.wordpress.wxr import WxrAuthor, WxrChannel, WxrItem, read_wxr

    export = list(read_wxr(WORDPRESS_DB_EXPORT))
    database = WordPressDatabase(wordpress_db)
    try:
        channel = database.channel()
        authors, attachments, _ = database.people_and_media()
        items = {item.post_id: asdict(item) for item, _ in database.items(Quiet())}
    finally:
        database.close()
    exported_channel = next(r for r in export if isinstance(r, WxrChannel))
    assert (channel.title, channel.base_blog_url) == (
        exported_channel.title,
        exported_channel.base_blog_url,
    )
    for author in (r for r in export if isinstance(r, WxrAuthor)):
        assert authors[author.login] == author
    exported = {r.post_id: asdict(r) for r in export if isinstance(r, WxrItem)}
    assert set(attachments) == {
        key for key, r in exported.items() if r["post_type"] == "attachment"
    }
    assert set(items) == {key for key, r in exported.items() if r["post_type"] != "attachment"}
    spam = []
    for post_id, item in items.items():
        comments = item.pop("comments")
        spam += [c["comment_id"] for c in comments if c["approved"] == "spam"]
        comments = [c for c in comments if c["approved"] != "spam"]
        assert comments == exported[post_id].pop("comments"), post_id
        assert item == exported[post_id], post_id
    assert set(spam) == {SPAM, SPAM_2}


def test_database_import_matches_the_export_of_the_same_site_and_adds_spam(
    a_home: Any, wordpress_db: str
) -> None:
    """The export first, then the database of the same site: the articles are the same (unchanged),
    every exported comment is as the export had it, and the database adds what WXR leaves out."""
    outcome = run("wordpress", str(WORDPRESS_DB_EXPORT))
    assert outcome.status == 0, outcome.err
    from_export_articles = articles()
    from_export = comments_by_wordpress_id()

    outcome = run("wordpress", "--db", wordpress_db)
    assert outcome.status == 0, outcome.err
    counts = last_report()["counts"]
    # Same posts read from both: nothing to change, but the one that gains an editor prompt.
    assert counts["article"] == {"unchanged": 8, "updated": 1}
    from_database_articles = articles()
    prompt_article = imported("article", NEW_TIMES).slug
    assert from_database_articles.pop(prompt_article)[6] == ["feedback_prompt", "paragraph"]
    assert from_export_articles.pop(prompt_article)[6] == ["paragraph", "paragraph"]
    assert from_database_articles == from_export_articles

    from_database = comments_by_wordpress_id()
    assert {key: from_database[key] for key in from_export} == from_export
    # Spam: in the database, never in an export; imported as spam, never shown.
    assert set(from_database) - set(from_export) == {SPAM, SPAM_2}
    assert {from_database[SPAM]["status"], from_database[SPAM_2]["status"]} == {"spam"}
    assert from_database[TRASHED]["status"] == "removed"
    assert from_database[PENDING]["status"] == "pending"
    assert from_database[JONAS]["depth"] == 3
    assert from_database[STICKY]["pinned"]
    assert imported("thread", FERRY).is_closed  # wpdiscuz_closed on the post


def test_votes_come_per_voter_one_per_reader(a_home: Any, wordpress_db: str) -> None:
    from masthead.discussion.models import Vote

    outcome = run("wordpress", "--db", wordpress_db)
    assert outcome.status == 0, outcome.err
    marta = imported("comment", MARTA_TOP)
    votes = Vote.objects.filter(comment=marta)
    # Lea, Tom, two guests; the second guest's double click counts once.
    assert votes.count() == 4
    assert sorted(votes.values_list("value", flat=True)) == [-1, 1, 1, 1]
    lea, tom = imported("user", LEA), imported("user", TOM)
    assert {f"user:{lea.pk}", f"user:{tom.pk}"} <= set(votes.values_list("voter_key", flat=True))
    assert tom.display_name == "Tom Berg"  # an account from wp_users: he voted, never commented
    # The counts wpDiscuz showed stay (its meta), never fewer than the voters read.
    assert (marta.upvotes, marta.downvotes) == (7, 2)
    jonas = imported("comment", JONAS)
    assert (jonas.upvotes, jonas.downvotes) == (0, 1)
    assert Vote.objects.get(comment=jonas).value == -1
    assert "one vote per reader" in outcome.out


def test_subscriptions_keep_their_confirmed_state(a_home: Any, wordpress_db: str) -> None:
    from masthead.notifications.models import Subscription

    outcome = run("wordpress", "--db", wordpress_db)
    assert outcome.status == 0, outcome.err
    budget = imported("thread", BUDGET)

    def of(email: str) -> Subscription:
        return Subscription.objects.select_related("address").get(address__email=email)

    marta = of("marta@example.com")  # "post": every new comment, confirmed
    assert (marta.thread, marta.comment, marta.kind) == (budget, None, "all")
    assert marta.confirmed_at is not None and marta.address.confirmed_at is not None
    new = of("new@example.org")  # "post", never confirmed: stays unconfirmed, gets no mail
    assert (new.kind, new.confirmed_at, new.address.confirmed_at) == ("all", None, None)
    lea = of("lea@example.net")  # "all_comment": replies to any of her comments on the post
    assert (lea.thread, lea.comment, lea.kind) == (budget, None, "replies")
    assert lea.confirmed_at is not None
    jonas = of("jonas@example.org")  # "comment": replies to one comment
    assert jonas.comment == imported("comment", MARTA_REPLY)
    assert jonas.confirmed_at is not None
    pier = of("pier@example.org")
    assert (pier.comment, pier.confirmed_at) == (imported("comment", MARTA_TOP), None)
    assert Subscription.objects.count() == 6


def test_feedback_forms_become_editor_prompts_where_the_passage_is_found(
    a_home: Any, wordpress_db: str, client: Any
) -> None:
    outcome = run("wordpress", "--db", wordpress_db)
    assert outcome.status == 0, outcome.err
    article = imported("article", NEW_TIMES)
    prompt = article.body[0]
    assert prompt.block_type == "feedback_prompt"
    assert prompt.value["passage"] == "the first ferry leaves at 7:40 instead of 7:10"
    assert prompt.value["question"] == "Does the later ferry work for you?"
    assert "[wpdiscuz-feedback" not in str(prompt.value["paragraph"].source)
    answer = imported("comment", ANSWER)
    assert answer.target["prompt"] == str(prompt.id)
    assert answer.target["selector"][0]["exact"] == prompt.value["passage"]
    assert answer.anchor_state == "anchored"
    assert imported("comment", "15").target is None  # a reply to the answer is no answer
    # Readers see the question on the passage.
    page = client.get(article.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Does the later ferry work for you?" in html
    assert "wpdiscuz-feedback" not in html
    # The second form's passage was edited out of the post: reported, no prompt made.
    skips = {skip["kind"]: skip for skip in last_report()["skips"]}
    assert "passage is not in the imported article" in skips["prompt"]["reason"]
    assert skips["prompt"]["examples"] == [f"{NEW_TIMES}:z0p4c8d2e6"]
    # Following readers has no home in Masthead: reported with its reason.
    assert "no following of people" in skips["follow"]["reason"]
    # wpDiscuz closed one comment to replies; Masthead closes threads: said so.
    assert any(
        skip["kind"] == "comment" and CLOSED_COMMENT in skip["examples"]
        for skip in last_report()["skips"]
    )


def test_a_rerun_duplicates_nothing(a_home: Any, wordpress_db: str) -> None:
    from masthead.discussion.models import Comment, Thread, Vote
    from masthead.notifications.models import Subscription
    from masthead.publishing.models import ArticlePage

    def counts() -> tuple[int, ...]:
        return tuple(
            model.objects.count() for model in (ArticlePage, Thread, Comment, Vote, Subscription)
        )

    assert run("wordpress", "--db", wordpress_db).status == 0
    first = counts()
    body = list(imported("article", NEW_TIMES).body.raw_data)
    outcome = run("wordpress", "--db", wordpress_db)
    assert outcome.status == 0, outcome.err
    assert counts() == first
    report = last_report()["counts"]
    assert report["article"] == {"unchanged": 9}
    assert report["comment"] == {"unchanged": 16}
    assert list(imported("article", NEW_TIMES).body.raw_data) == body


def test_dry_run_writes_nothing_and_reports_the_same(a_home: Any, wordpress_db: str) -> None:
    from masthead.discussion.models import Comment, Vote
    from masthead.publishing.models import ArticlePage

    dry = run("wordpress", "--db", wordpress_db, "--dry-run")
    assert dry.status == 0, dry.err
    assert (ArticlePage.objects.count(), Comment.objects.count(), Vote.objects.count()) == (0, 0, 0)
    assert not ImportedObject.objects.exists() and not ImportRun.objects.exists()
    real = run("wordpress", "--db", wordpress_db)
    assert dry.out.replace(" (dry run", "").splitlines()[1:] == real.out.splitlines()[1:]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgres://root@127.0.0.1/wp", "expected mysql://"),
        ("mysql://root@127.0.0.1", "names no database"),
        ("mysql://root@127.0.0.1:1/wordpress", "cannot reach the database server"),
        ("mysql://nobody:s3cret-pw@127.0.0.1/wordpress", "access denied"),
        ("mysql://root@127.0.0.1/masthead_no_such_database", "no such database"),
    ],
)
def test_a_bad_database_url_is_one_clear_line(
    a_home: Any, wordpress_db: str, url: str, message: str
) -> None:
    outcome = run("wordpress", "--db", url)
    assert outcome.status == 1
    error = outcome.err.strip().splitlines()[-1]
    assert error.startswith("masthead import wordpress: --db")
    assert message in error
    assert "Traceback" not in outcome.err + outcome.out
    assert "s3cret-pw" not in outcome.err + outcome.out  # the password is never printed


def test_missing_wordpress_tables_name_the_prefix(a_home: Any, wordpress_db: str) -> None:
    outcome = run("wordpress", "--db", wordpress_db, "--prefix", "blog_")
    assert outcome.status == 1
    error = outcome.err.strip().splitlines()[-1]
    assert "no table blog_posts" in error and "use --prefix" in error
    assert "Traceback" not in outcome.err


def test_an_export_and_a_database_together_are_refused(a_home: Any, wordpress_db: str) -> None:
    outcome = run("wordpress", str(WORDPRESS_DB_EXPORT), "--db", wordpress_db)
    assert outcome.status == 1
    assert "either an export file or --db" in outcome.err


def test_a_site_without_wpdiscuz_imports_and_says_so(a_home: Any, wordpress_db: str) -> None:
    """Another prefix in the same database: WordPress's tables only, as on a site without wpDiscuz."""
    import pymysql

    from masthead.discussion.models import Comment, Vote

    parsed = urlparse(wordpress_db)
    connection = pymysql.connect(
        host=parsed.hostname, port=parsed.port or 3306, user=parsed.username or "root",
        password=parsed.password or "", database=parsed.path.lstrip("/"),
    )  # fmt: skip
    with connection.cursor() as cursor:
        for table in ("users", "posts", "postmeta", "comments", "commentmeta", "options", "terms",
                      "term_taxonomy", "term_relationships"):  # fmt: skip
            cursor.execute(f"DROP TABLE IF EXISTS plain_{table}")
            cursor.execute(f"CREATE TABLE plain_{table} LIKE wp_{table}")
            cursor.execute(f"INSERT INTO plain_{table} SELECT * FROM wp_{table}")  # noqa: S608
    connection.commit()
    connection.close()

    outcome = run("wordpress", "--db", wordpress_db, "--prefix", "plain_")
    assert outcome.status == 0, outcome.err
    assert "no wpDiscuz table plain_wc_users_voted" in outcome.out
    assert Comment.objects.filter(status="spam").count() == 2
    assert not Vote.objects.exists()
    assert imported("comment", MARTA_TOP).upvotes == 7  # the meta's counts still come across


def test_without_the_driver_the_error_says_which_extra_to_install(
    a_home: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The driver is imported only for --db; without it, one line saying what to install."""
    import sys

    monkeypatch.setitem(sys.modules, "pymysql", None)  # as if PyMySQL were not installed
    outcome = run("wordpress", "--db", "mysql://root@127.0.0.1/wordpress")
    assert outcome.status == 1
    assert outcome.err.strip().splitlines()[-1] == (
        "masthead import wordpress: --db needs the MySQL driver: "
        "pip install 'masthead[mysql]' (PyMySQL)"
    )
    # An export import never needs it.
    assert run("wordpress", str(WORDPRESS_DB_EXPORT), "--dry-run").status == 0


def test_the_run_record_keeps_no_password_and_a_bad_prefix_is_refused(
    a_home: Any, wordpress_db: str
) -> None:
    parsed = urlparse(wordpress_db)
    with_password = parsed._replace(netloc=f"root:@{parsed.hostname}:{parsed.port}").geturl()
    assert run("wordpress", "--db", with_password, "--prefix", "wp_").status == 0
    assert ImportRun.objects.get().arguments["db"] == "(given)"

    outcome = run("wordpress", "--db", wordpress_db, "--prefix", "wp_; DROP TABLE x")
    assert outcome.status == 1
    assert "letters, digits and underscores only" in outcome.err
