from django.db import migrations

TARGET_GROUPS = ["families", "children", "young_people", "women", "adults", "seniors", "everyone"]
SKILLS = ["interpreting", "accompanying", "homework", "sports", "leisure", "other"]


def forwards(apps, schema_editor):
    TargetGroup = apps.get_model("network", "TargetGroup")
    Skill = apps.get_model("network", "Skill")
    for code in TARGET_GROUPS:
        TargetGroup.objects.get_or_create(code=code)
    for code in SKILLS:
        Skill.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
