"""Create one Group per role. Their model permissions are kept in step by accounts.roles on post_migrate."""

from django.db import migrations

ROLES = [
    "provincial_officer",
    "council_member",
    "council_secretary",
    "ministry_clerk",
    "ministry_leader",
    "system_administrator",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
