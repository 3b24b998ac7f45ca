from django.db import migrations

GROUPS = ["staff", "coordinator"]
LANGUAGES = {
    "de": "German", "en": "English", "ar": "Arabic", "uk": "Ukrainian", "ru": "Russian",
    "fa": "Persian (Farsi/Dari)", "ps": "Pashto", "ku": "Kurdish", "tr": "Turkish",
    "ti": "Tigrinya", "so": "Somali", "fr": "French", "ro": "Romanian", "bg": "Bulgarian",
    "pl": "Polish", "sq": "Albanian", "sr": "Serbian", "es": "Spanish", "ur": "Urdu",
    "am": "Amharic",
}


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Language = apps.get_model("lokalwillkommen", "Language")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    for code, name in LANGUAGES.items():
        Language.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [
        ("lokalwillkommen", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
