"""The submission log's digest keeps one plain index (PostgreSQL had a second, for LIKE, unused).

The old index is dropped by name and the new one added, so the table is not rebuilt on SQLite.
"""

from django.db import migrations, models

OLD = ["moderation_submissionlog_digest_2e98af2e", "moderation_submissionlog_digest_2e98af2e_like"]


def _drop(apps, schema_editor):
    for name in OLD:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def _restore(apps, schema_editor):
    schema_editor.execute(f'CREATE INDEX "{OLD[0]}" ON "moderation_submissionlog" ("digest")')


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0006_one_moderator_permission"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(_drop, _restore)],
            state_operations=[
                migrations.AlterField(
                    model_name="submissionlog",
                    name="digest",
                    field=models.CharField(max_length=32),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="submissionlog",
            index=models.Index(fields=["digest"], name="submission_digest"),
        ),
    ]
