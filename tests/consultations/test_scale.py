"""The city-sized data set behind ``seed_demo --scale``: the sizes asked for, dates spread
over years, and a second run that adds nothing."""

import io

from consultations import demo
from consultations.models import Consultation, ConsultationTopic, HomeVisit, Household, Referral


def test_load_scale_creates_households_and_ten_consultations_each(
    lanstrop, organisation, offer, alice
):
    out = io.StringIO()
    demo.load_scale(scale=30, stdout=out)
    households = Household.objects.filter(reference__startswith=demo.SCALE_PREFIX)
    assert households.count() == 30
    assert Consultation.objects.count() == 300
    assert ConsultationTopic.objects.count() >= 300
    assert HomeVisit.objects.exists()
    assert Referral.objects.exists()
    assert all(h.needs.exists() for h in households)
    # spread over the years, not all "now"
    assert households.dates("created_at", "month").count() > 3
    assert "scale households: 30" in out.getvalue()

    demo.load_scale(scale=30, stdout=out)
    assert Household.objects.count() == 30
    assert Consultation.objects.count() == 300
    assert "already there" in out.getvalue()

    demo.load_scale(scale=45)
    assert Household.objects.filter(reference__startswith=demo.SCALE_PREFIX).count() == 45
    assert Consultation.objects.count() == 450
    # the timestamps of ordinary records are automatic again afterwards
    assert Household._meta.get_field("created_at").auto_now_add


def test_load_scale_without_offices_creates_nothing(db):
    out = io.StringIO()
    demo.load_scale(scale=10, stdout=out)
    assert not Household.objects.exists()
    assert "nothing created" in out.getvalue()
