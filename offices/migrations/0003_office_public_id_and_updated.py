"""An office's stored, random public identifier (UUID) and the time it last changed, for
open data. Existing rows each get their own uuid4, then the column becomes unique."""

import uuid

import django.utils.timezone
from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    Office = apps.get_model("offices", "Office")
    rows = list(Office.objects.filter(uuid__isnull=True).only("pk"))
    for row in rows:
        row.uuid = uuid.uuid4()
    Office.objects.bulk_update(rows, ["uuid"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("offices", "0002_office_translations"),
    ]

    operations = [
        migrations.AddField(
            model_name="office",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="public identifier"),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="office",
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="public identifier"
            ),
        ),
        migrations.AddField(
            model_name="office",
            name="updated",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="updated"
            ),
            preserve_default=False,
        ),
    ]
