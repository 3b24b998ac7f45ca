"""The network: partner organisations, their offers, volunteers and suggestions."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lokalwillkommen.categories import Need
from lokalwillkommen.content import resolution_orders, shown_text
from lokalwillkommen.models import District, Language


class ModerationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted, waiting for moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class TargetGroupCode(models.TextChoices):
    FAMILIES = "families", _("Families")
    CHILDREN = "children", _("Children")
    YOUNG_PEOPLE = "young_people", _("Young people")
    WOMEN = "women", _("Women")
    ADULTS = "adults", _("Adults")
    SENIORS = "seniors", _("Seniors")
    EVERYONE = "everyone", _("Everyone")


class SkillCode(models.TextChoices):
    INTERPRETING = "interpreting", _("Interpreting")
    ACCOMPANYING = "accompanying", _("Accompanying to authorities")
    HOMEWORK = "homework", _("Homework help")
    SPORTS = "sports", _("Sports")
    LEISURE = "leisure", _("Leisure activities")
    OTHER = "other", _("Other")


class TargetGroup(models.Model):
    """One of the fixed target groups of offers (rows created by a data migration)."""

    code = models.CharField(_("code"), max_length=20, unique=True, choices=TargetGroupCode.choices)

    class Meta:
        ordering = ["id"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return str(TargetGroupCode(self.code).label)


class Skill(models.Model):
    """One of the fixed skills a volunteer can offer (rows created by a data migration)."""

    code = models.CharField(_("code"), max_length=20, unique=True, choices=SkillCode.choices)

    class Meta:
        ordering = ["id"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return str(SkillCode(self.code).label)


def public_id_field() -> models.UUIDField:
    """The identifier under which a record is published as open data: random, stored, and
    kept for the record's life (unlike the primary key, it reveals neither the number of
    records nor the order they were entered in)."""
    return models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True, editable=False)


def text_language_field(help_text) -> models.CharField:
    """The language a submission's texts were written in (the form's language)."""
    return models.CharField(
        _("language of the texts"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="de",
        help_text=help_text,
    )


def search_document_field() -> models.TextField:
    """What the directory search reads (network/search.py): every language of the record's
    texts, the names of its category and target groups in every interface language and the
    synonyms they bring, lower-cased. PostgreSQL searches ``search_vector``, built from it."""
    return models.TextField(_("search document"), blank=True, editable=False)


class Organisation(models.Model):
    """A partner of the network: Kita, school, club, counselling service, initiative …"""

    class Kind(models.TextChoices):
        KITA = "kita", _("Kita")
        SCHOOL = "school", _("School")
        YOUTH_CENTRE = "youth_centre", _("Youth centre")
        SPORTS_CLUB = "sports_club", _("Sports club")
        COUNSELLING = "counselling", _("Counselling service")
        ADMINISTRATION = "administration", _("Administration")
        INITIATIVE = "initiative", _("Initiative")
        MIGRANT_ORGANISATION = "migrant_organisation", _("Migrant self-organisation")
        OTHER = "other", _("Other")

    Status = ModerationStatus

    uuid = public_id_field()
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    contact_public = models.BooleanField(
        _("contact details public"),
        default=False,
        help_text=_(
            "The contact person, phone and e-mail are shown on public pages only when this is "
            "ticked: with the consent given on the submission form, or recorded by the team."
        ),
    )
    website = models.URLField(_("website"), blank=True)
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages"), related_name="+", blank=True
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    text_language = text_language_field(
        _(
            "The language the name and description are written in; shown marked as such "
            "on pages in other languages, for screen readers."
        )
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    rejection_reason = models.TextField(_("reason for rejection"), max_length=2000, blank=True)
    relationship_notes = models.TextField(
        _("relationship notes (staff only)"), max_length=4000, blank=True
    )
    last_contact = models.DateField(_("last contact"), null=True, blank=True)
    submitter_email = models.EmailField(_("submitter's e-mail"), blank=True)
    submission_token = models.UUIDField(_("submission token"), null=True, blank=True, unique=True)
    search_document = search_document_field()
    search_vector = SearchVectorField(null=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["status", "id"], name="network_org_status_idx"),
            models.Index(fields=["name", "id"], name="network_org_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="network_organisation_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network-organisation", args=[self.slug])


class Cost(models.TextChoices):
    FREE = "free", _("free of charge")
    AMOUNT = "amount", _("amount in euros")
    ON_REQUEST = "on_request", _("on request")


class Offer(models.Model):
    """What an organisation offers: a language café, homework help, counselling …"""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted, waiting for moderation")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")
        EXPIRED = "expired", _("expired")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="offers",
    )
    uuid = public_id_field()
    title = models.CharField(_("title"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    description = models.TextField(_("description"), max_length=4000)
    text_language = text_language_field(
        _(
            "The language the title, description, place, time and cost are written in; "
            "shown marked as such on pages in other languages, for screen readers."
        )
    )
    category = models.CharField(_("category"), max_length=20, choices=Need.choices)
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), related_name="offers", blank=True
    )
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages"), related_name="+", blank=True
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    time_note = models.CharField(
        _("when, in words"),
        max_length=200,
        blank=True,
        help_text=_("Only what the times below cannot say, e.g. 'by appointment'."),
    )
    cost = models.CharField(_("cost"), max_length=12, choices=Cost.choices, blank=True)
    cost_amount = models.DecimalField(
        _("amount in euros"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    cost_note = models.CharField(
        _("note on the cost"),
        max_length=120,
        blank=True,
        help_text=_("For example: per week; reduction possible"),
    )
    registration_needed = models.BooleanField(_("registration needed"), default=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    rejection_reason = models.TextField(_("reason for rejection"), max_length=2000, blank=True)
    submitter_email = models.EmailField(_("submitter's e-mail"), blank=True)
    submission_token = models.UUIDField(_("submission token"), null=True, blank=True, unique=True)
    confirmed_on = models.DateField(
        _("last confirmed"),
        null=True,
        blank=True,
        help_text=_(
            "When the organisation last confirmed that the offer is still current: on "
            "publication, and then once a year through the link sent to the submitter."
        ),
    )
    confirmation_requested_on = models.DateField(
        _("confirmation requested"), null=True, blank=True, editable=False
    )
    search_document = search_document_field()
    search_vector = SearchVectorField(null=True, editable=False)
    # The offer's times (``OfferTime`` rows) as plain values, written with the search
    # document (network/search.py): the directory's cards read them with the offer's row.
    # (JSON in a text column: the same text is the key under which its words are kept.)
    times_digest = models.TextField(_("times, for the lists"), default="[]", editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="network_offer_valid_until_after_from",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="network_offer_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(cost="amount", cost_amount__isnull=False)
                | (~Q(cost="amount") & Q(cost_amount__isnull=True)),
                name="network_offer_amount_only_with_amount_cost",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "valid_until"]),
            # The directory's count and the report's offers by category read this index alone
            # (published offers, of published organisations, valid now or in the period).
            models.Index(
                fields=["status", "organisation", "valid_until", "valid_from", "category"],
                name="network_offer_listed_idx",
            ),
            # The directory's order, the title a page shows, for every page language: the
            # first page of twenty is read in index order instead of sorting every offer.
            *(
                models.Index(
                    shown_text("title", order[0]), F("id"), name=f"offer_title_{order[0]}_idx"
                )
                for order in sorted(resolution_orders())
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network-offer", args=[self.slug])

    def confirmation_due_on(self) -> date:
        """The day by which the organisation confirms the offer is still current."""
        start = self.confirmed_on or timezone.localdate(self.created)
        return start + timedelta(days=settings.LW_OFFER_CONFIRM_DAYS)

    def cost_in_words(self) -> str:
        """The cost in the active language ("free of charge", "5 €", "cost on request")."""
        from .offer_times import cost_text

        return cost_text(self.cost, self.cost_amount)


weekday_digits = RegexValidator(
    r"^(?!.*(.).*\1)[0-6]*$", _("Weekdays are digits 0 (Monday) to 6 (Sunday), each once.")
)


class OfferTime(models.Model):
    """When an offer takes place: on weekdays (every week, or one week of the month), from–to,
    optionally only within a period; or on one date, or on every day of a period."""

    class WeekOfMonth(models.IntegerChoices):
        FIRST = 1, _("first")
        SECOND = 2, _("second")
        THIRD = 3, _("third")
        FOURTH = 4, _("fourth")
        LAST = -1, _("last")

    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="times"
    )
    weekdays = models.CharField(
        _("weekdays"),
        max_length=7,
        blank=True,
        validators=[weekday_digits],
        help_text=_("0 = Monday … 6 = Sunday, e.g. 13 for Tuesday and Thursday."),
    )
    week_of_month = models.SmallIntegerField(
        _("only in this week of the month"), choices=WeekOfMonth.choices, null=True, blank=True
    )
    starts = models.TimeField(_("from"), null=True, blank=True)
    ends = models.TimeField(_("to"), null=True, blank=True)
    date_from = models.DateField(
        _("date"), null=True, blank=True, help_text=_("One date, or the first day of a period.")
    )
    date_until = models.DateField(
        _("last day"), null=True, blank=True, help_text=_("The last day of a period.")
    )

    class Meta:
        ordering = ["offer", "date_from", "weekdays", "starts", "id"]
        verbose_name = _("time")
        verbose_name_plural = _("times")
        constraints = [
            models.CheckConstraint(
                condition=~Q(weekdays="") | Q(date_from__isnull=False),
                name="network_offertime_has_days_or_date",
            ),
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(starts__isnull=False, ends__gt=F("starts")),
                name="network_offertime_ends_after_starts",
            ),
            models.CheckConstraint(
                condition=Q(date_until__isnull=True)
                | Q(date_from__isnull=False, date_until__gte=F("date_from")),
                name="network_offertime_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(week_of_month__isnull=True) | ~Q(weekdays=""),
                name="network_offertime_week_of_month_needs_weekdays",
            ),
        ]

    def __str__(self) -> str:
        from .offer_times import time_text

        return time_text(self)


class OfferRevision(models.Model):
    """A change to a published offer sent through the submitter's signed link. The offer stays
    online as it is while the change waits; a coordinator sees what changed, may edit and
    translate it, and publishes or rejects it (network/moderation.py)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for moderation")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")

    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="revisions"
    )
    # The change form's fields as sent (name -> list of values): bound to the same form again,
    # it is validated against the rules of the day it is published.
    data = models.JSONField(_("proposed values"))
    text_language = text_language_field(_("The language of the form the change was sent from."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    rejection_reason = models.TextField(_("reason for rejection"), max_length=2000, blank=True)
    created = models.DateTimeField(_("sent"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("change to an offer")
        verbose_name_plural = _("changes to offers")
        constraints = [
            models.UniqueConstraint(
                fields=["offer"],
                condition=Q(status="pending"),
                name="network_one_pending_change_per_offer",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="network_offerrevision_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer} ({self.get_status_display()})"


class SearchSynonym(models.Model):
    """A word residents search for, and what else a text containing it should be found by:
    "Sprachcafé" → "Sprachkurs, Deutschkurs, language course, دورة لغة, мовний курс"."""

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    term = models.CharField(
        _("term"),
        max_length=80,
        help_text=_("A word (or the start of one) in a text or a category name."),
    )
    expansions = models.TextField(
        _("also found by"),
        max_length=1000,
        help_text=_("Words in any language, separated by commas."),
    )

    class Meta:
        ordering = ["language", "term"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        constraints = [
            models.UniqueConstraint(fields=["language", "term"], name="one_synonym_per_term"),
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.language})"


class VolunteerRegistration(models.Model):
    """Someone who offers to help. Personal data: name, contact, district, languages."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        CONTACTED = "contacted", _("contacted")
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")

    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages"), related_name="+", blank=True
    )
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills and interests"), related_name="volunteers", blank=True
    )
    availability = models.TextField(_("availability"), max_length=1000, blank=True)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    consent_at = models.DateTimeField(_("consent given at"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default="new")
    staff_notes = models.TextField(_("staff notes"), max_length=4000, blank=True)
    submission_token = models.UUIDField(_("submission token"), null=True, blank=True, unique=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("volunteer registration")
        verbose_name_plural = _("volunteer registrations")

    def __str__(self) -> str:
        return self.name


class Suggestion(models.Model):
    """A suggestion about integration in the district, with an optional contact."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")

    text = models.TextField(_("suggestion"), max_length=4000)
    topic = models.CharField(_("topic"), max_length=120, blank=True)
    # What the gap analysis counts a suggestion under: its need, district and the language
    # of the form it was written in (all optional, none of them personal).
    need = models.CharField(_("need"), max_length=20, choices=Need.choices, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    language = models.CharField(
        _("language of the form"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default="new")
    submission_token = models.UUIDField(_("submission token"), null=True, blank=True, unique=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")

    def __str__(self) -> str:
        return self.topic or self.text[:60]
