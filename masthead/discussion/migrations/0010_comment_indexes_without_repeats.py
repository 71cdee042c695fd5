"""Drop the comment indexes that a composite index already begins with.

`thread` (comment_toplevel_time), `root` (comment_replies), `guest_key` (comment_guest_time) and
`ip_hash` (comment_address_time) each had an index of its own besides, and on PostgreSQL the two
character columns a second one for LIKE: six indexes every posted comment paid for and no query used.
Dropped by name (the names Django gave them), so the comments table is not rebuilt on SQLite, which
altering the fields would do.
"""

from django.db import migrations, models

import django.db.models.deletion

# (index name, column): the name Django's schema editor gave each field's own index.
REPEATED = [
    ("discussion_comment_thread_id_f0db2e1e", "thread_id"),
    ("discussion_comment_root_id_f40ea2bb", "root_id"),
    ("discussion_comment_guest_key_92ea48aa", "guest_key"),
    ("discussion_comment_ip_hash_3d42402c", "ip_hash"),
]
LIKE = ["discussion_comment_guest_key_92ea48aa_like", "discussion_comment_ip_hash_3d42402c_like"]


def _drop(apps, schema_editor):
    for name in [name for name, _ in REPEATED] + LIKE:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def _restore(apps, schema_editor):
    for name, column in REPEATED:
        schema_editor.execute(f'CREATE INDEX "{name}" ON "discussion_comment" ("{column}")')


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0009_thread_embed_key"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(_drop, _restore)],
            state_operations=[
                migrations.AlterField(
                    model_name="comment",
                    name="guest_key",
                    field=models.CharField(blank=True, max_length=64),
                ),
                migrations.AlterField(
                    model_name="comment",
                    name="ip_hash",
                    field=models.CharField(blank=True, max_length=64),
                ),
                migrations.AlterField(
                    model_name="comment",
                    name="root",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="The top-level comment of this reply's tree (empty for top-level comments).",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="descendants",
                        to="discussion.comment",
                    ),
                ),
                migrations.AlterField(
                    model_name="comment",
                    name="thread",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comments",
                        to="discussion.thread",
                    ),
                ),
            ],
        ),
    ]
