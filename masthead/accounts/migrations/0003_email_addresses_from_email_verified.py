"""Verified addresses move to allauth's EmailAddress table; the User.email_verified flag goes.

Each user with an address gets its EmailAddress (primary), verified when the old flag said so. An
address verified by two accounts (possible before: the admin did not check) stays verified on the
oldest account only, as allauth allows one verified owner per address.
"""

from django.db import migrations


def copy_verified_flags(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    verified_owner = set(
        EmailAddress.objects.filter(verified=True).values_list("email", flat=True)
    )
    for user in User.objects.exclude(email="").order_by("pk").iterator():
        email = user.email.strip().lower()
        if not email or EmailAddress.objects.filter(user_id=user.pk, email=email).exists():
            continue
        verified = bool(user.email_verified) and email not in verified_owner
        if verified:
            verified_owner.add(email)
        EmailAddress.objects.create(
            user_id=user.pk,
            email=email,
            verified=verified,
            primary=not EmailAddress.objects.filter(user_id=user.pk, primary=True).exists(),
        )


def copy_back(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    for row in EmailAddress.objects.filter(verified=True, primary=True):
        User.objects.filter(pk=row.user_id).update(email_verified=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_reader_page"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(copy_verified_flags, copy_back),
        migrations.RemoveField(model_name="user", name="email_verified"),
    ]
