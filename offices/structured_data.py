"""schema.org structured data (JSON-LD) for an office page."""

from datetime import date, timedelta

from . import hours
from .models import Office

DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def office_json_ld(
    office: Office, schedule: hours.Schedule, request, today: date, *, languages: list[str]
) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOffice",
        "name": office.name,
        "url": request.build_absolute_uri(office.get_absolute_url()),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": office.street,
            "postalCode": office.postcode,
            "addressLocality": office.city,
            "addressRegion": "NRW",
            "addressCountry": "DE",
        },
        "availableLanguage": languages,
        "openingHoursSpecification": [
            _spec(
                DAY_NAMES[rule.weekday],
                rule.opens.strftime("%H:%M"),
                rule.closes.strftime("%H:%M"),
                rule.valid_from,
                rule.valid_until,
            )
            for rule in schedule.rules
        ],
        "specialOpeningHoursSpecification": _special_days(schedule, today),
    }
    if office.phone:
        data["telephone"] = office.phone
    if office.email:
        data["email"] = office.email
    if office.latitude is not None and office.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(office.latitude),
            "longitude": float(office.longitude),
        }
    return data


def _spec(day_of_week, opens, closes, valid_from, valid_until):
    spec = {"@type": "OpeningHoursSpecification", "opens": opens, "closes": closes}
    if day_of_week:
        spec["dayOfWeek"] = f"https://schema.org/{day_of_week}"
    if valid_from:
        spec["validFrom"] = valid_from.isoformat()
    if valid_until:
        spec["validThrough"] = valid_until.isoformat()
    return spec


def _special_days(schedule: hours.Schedule, today: date) -> list[dict]:
    """Closed days (holidays, closures) and special openings in the next 90 days.

    schema.org marks a day closed with opens and closes both 00:00."""
    last = today + timedelta(days=90)
    days = [
        _spec(None, "00:00", "00:00", off.day, off.day)
        for off in hours.days_off_between(schedule, today, last)
    ]
    days += [
        _spec(None, s.opens.strftime("%H:%M"), s.closes.strftime("%H:%M"), s.day, s.day)
        for s in schedule.specials
        if today <= s.day <= last
    ]
    return sorted(days, key=lambda spec: spec["validFrom"])
