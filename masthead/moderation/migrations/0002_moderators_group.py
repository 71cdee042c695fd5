"""The "Moderators" group: the moderation queue, bans and rule lists in the Wagtail admin."""

from django.db import migrations

PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("moderation", "wordrule", "moderate_comments"),
    ("discussion", "comment", "change_comment"),
    ("discussion", "comment", "view_comment"),
    ("discussion", "thread", "change_thread"),
    *[
        ("moderation", model, f"{action}_{model}")
        for model in ("wordrule", "domainrule", "ban")
        for action in ("add", "change", "delete", "view")
    ],
    ("moderation", "report", "view_report"),
]


def create_group(apps, schema_editor):
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
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    for app_label, model, codename in PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("discussion", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
