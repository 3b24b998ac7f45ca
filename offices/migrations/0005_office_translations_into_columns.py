"""The German texts of offices, rules and exceptions into their German columns, and the
office translations (one row per office and language) into the columns of their language;
then the translations' table goes."""

from django.db import migrations

LANGUAGES = ("en", "ar", "uk")


def forwards(apps, schema_editor):
    Office = apps.get_model("offices", "Office")
    OfficeTranslation = apps.get_model("offices", "OfficeTranslation")
    OpeningRule = apps.get_model("offices", "OpeningRule")
    OpeningException = apps.get_model("offices", "OpeningException")
    for office in Office.objects.all():
        office.description_de = office.description
        office.accessibility_de = office.accessibility
        for translation in OfficeTranslation.objects.filter(office=office):
            if translation.language in LANGUAGES:
                setattr(office, f"description_{translation.language}", translation.description)
                setattr(office, f"accessibility_{translation.language}", translation.accessibility)
        office.save()
    for rule in OpeningRule.objects.exclude(label=""):
        rule.label_de = rule.label
        rule.save(update_fields=["label_de"])
    for exception in OpeningException.objects.exclude(reason=""):
        exception.reason_de = exception.reason
        exception.save(update_fields=["reason_de"])


def backwards(apps, schema_editor):
    Office = apps.get_model("offices", "Office")
    OfficeTranslation = apps.get_model("offices", "OfficeTranslation")
    for office in Office.objects.all():
        for language in LANGUAGES:
            description = getattr(office, f"description_{language}") or ""
            accessibility = getattr(office, f"accessibility_{language}") or ""
            if description or accessibility:
                OfficeTranslation.objects.create(
                    office=office,
                    language=language,
                    description=description,
                    accessibility=accessibility,
                )


class Migration(migrations.Migration):
    dependencies = [("offices", "0004_office_texts_in_four_languages")]

    operations = [migrations.RunPython(forwards, backwards)]
