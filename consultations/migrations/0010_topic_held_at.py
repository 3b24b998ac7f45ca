"""Topics carry their consultation's time, so that the report counts a period's topics from
one index instead of joining every consultation of the period."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_held_at(apps, schema_editor):
    Consultation = apps.get_model("consultations", "Consultation")
    ConsultationTopic = apps.get_model("consultations", "ConsultationTopic")
    ConsultationTopic.objects.update(
        held_at=Subquery(
            Consultation.objects.filter(pk=OuterRef("consultation_id")).values("held_at")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [("consultations", "0009_not_visited_index")]

    operations = [
        migrations.AddField(
            model_name="consultationtopic",
            name="held_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="time"),
        ),
        migrations.RunPython(fill_held_at, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="consultationtopic",
            name="held_at",
            field=models.DateTimeField(editable=False, verbose_name="time"),
        ),
        migrations.AddIndex(
            model_name="consultationtopic",
            index=models.Index(fields=["held_at", "topic"], name="consultation_topic_report_idx"),
        ),
    ]
