"""One permission makes a moderator: moderation.moderate_comments (core.actors.can_moderate).

Discussion's actions used to ask for discussion.change_comment instead. Every group and user that
held that permission could moderate there, so they are given moderate_comments and keep doing so.
"""

from django.conf import settings
from django.db import migrations


def grant_moderate_to_comment_editors(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # create_permissions skips an app without a models module, as every historical app is: lend
        # it one, and put back what was there (an app of the live registry keeps its real module,
        # or every later post_migrate, a test database's flush included, would skip it).
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module
    Permission = apps.get_model("auth", "Permission")
    moderate = Permission.objects.filter(
        content_type__app_label="moderation", codename="moderate_comments"
    ).first()
    change = Permission.objects.filter(
        content_type__app_label="discussion", codename="change_comment"
    ).first()
    if moderate is None or change is None:
        return
    for group in apps.get_model("auth", "Group").objects.filter(permissions=change):
        group.permissions.add(moderate)
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for user in user_model.objects.filter(user_permissions=change):
        user.user_permissions.add(moderate)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0005_provider_check"),
        ("discussion", "0003_comment_thread_pinned"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(grant_moderate_to_comment_editors, migrations.RunPython.noop)
    ]
