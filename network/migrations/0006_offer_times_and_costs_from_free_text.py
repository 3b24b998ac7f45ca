"""Offers said when and at what cost in German free text; now they have structured times and
a cost (network/offer_times.py reads the text: "Mittwochs 16:00–18:00" becomes Wednesday,
16:00–18:00; "5 € pro Woche" an amount of 5 with the note "pro Woche"). Text that cannot be
read whole is kept as the note, so nothing is lost. The texts of offers and organisations are
copied into the column of the language they were written in (German for the languages
without a column of their own)."""

from django.db import migrations

CONTENT = ("de", "en", "ar", "uk")


def _column(language):
    return language if language in CONTENT else "de"


def forwards(apps, schema_editor):
    from network.offer_times import parse_cost, parse_schedule

    Offer = apps.get_model("network", "Offer")
    OfferTime = apps.get_model("network", "OfferTime")
    Organisation = apps.get_model("network", "Organisation")
    for organisation in Organisation.objects.all():
        setattr(
            organisation, f"description_{_column(organisation.text_language)}",
            organisation.description,
        )
        organisation.save()
    for offer in Offer.objects.all():
        column = _column(offer.text_language)
        time, note = parse_schedule(offer.schedule)
        cost, amount, cost_note = parse_cost(offer.cost_text)
        setattr(offer, f"title_{column}", offer.title)
        setattr(offer, f"description_{column}", offer.description)
        setattr(offer, f"time_note_{column}", note)
        setattr(offer, f"cost_note_{column}", cost_note[:120])
        offer.time_note = note
        offer.cost_note = cost_note[:120]
        offer.cost = cost
        offer.cost_amount = amount
        offer.save()
        if time is not None:
            OfferTime.objects.create(offer=offer, **time)


class Migration(migrations.Migration):
    dependencies = [("network", "0005_content_translations_offer_times_search")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
