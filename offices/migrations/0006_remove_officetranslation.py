from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("offices", "0005_office_translations_into_columns")]

    operations = [migrations.DeleteModel(name="OfficeTranslation")]
