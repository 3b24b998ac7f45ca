"""Offers keep their times as plain values on their own row too (the directory's cards read
them with it); the search documents and these digests are written for every record."""

from django.db import migrations, models


def write_documents(apps, schema_editor):
    # The search module of the code that runs this migration: the documents and digests are
    # derived data, `manage.py rebuild_search` writes them again at any time.
    from network import search

    search.rebuild()


class Migration(migrations.Migration):
    dependencies = [("network", "0008_search_synonyms_and_index")]

    operations = [
        migrations.AddField(
            model_name="offer",
            name="times_digest",
            field=models.TextField(
                default="[]", editable=False, verbose_name="times, for the lists"
            ),
        ),
        migrations.RunPython(write_documents, migrations.RunPython.noop),
    ]
