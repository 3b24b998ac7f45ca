import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lokalwillkommen.models import District, Language


class Team(models.Model):
    """A team of staff; it works for one or more offices and its households."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), related_name="teams", blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class Office(models.Model):
    """A drop-in office (Anlaufstelle) in a district."""

    uuid = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="offices"
    )
    street = models.CharField(_("street and number"), max_length=120)
    postcode = models.CharField(_("postcode"), max_length=5)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="offices"
    )
    city = models.CharField(_("city"), max_length=80, default="Dortmund")
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True)
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages spoken"), related_name="offices", blank=True
    )
    description = models.TextField(_("description"), blank=True)
    # Saved with the office, and touched when its hours or exceptions change (services.py;
    # the admin edits them inline, which saves the office): open data's ``modified_after``.
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="office_coordinates_both_or_neither",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("offices-detail", args=[self.slug])

    @property
    def address_line(self) -> str:
        return f"{self.street}, {self.postcode} {self.city}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningRule(models.Model):
    """Weekly opening hours: every <weekday> from <opens> to <closes>, within a validity."""

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="rules"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    label = models.CharField(_("label"), max_length=80, blank=True)

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="rule_closes_after_opens"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="rule_validity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="rule_weekday_in_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class OpeningException(models.Model):
    """A closure on a date or a range of dates, or a special opening on a date."""

    class Kind(models.TextChoices):
        CLOSED = "closed", pgettext_lazy("office", "closed")
        SPECIAL = "special", _("special opening")

    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.CASCADE, related_name="exceptions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    date_from = models.DateField(_("from"))
    date_until = models.DateField(_("until"))
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=160, blank=True)

    class Meta:
        ordering = ["date_from", "opens"]
        verbose_name = _("closure or special opening")
        verbose_name_plural = _("closures and special openings")
        constraints = [
            models.CheckConstraint(
                condition=Q(date_until__gte=F("date_from")), name="exception_range_in_order"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="closed", opens__isnull=True, closes__isnull=True)
                    | Q(
                        kind="special",
                        opens__isnull=False,
                        closes__isnull=False,
                        closes__gt=F("opens"),
                        date_until=F("date_from"),
                    )
                ),
                name="exception_times_match_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date_from}–{self.date_until}"
