"""The network: partner organisations, their offers, volunteers and suggestions."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lokalwillkommen.categories import Need
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
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
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
    schedule = models.CharField(_("when"), max_length=200, blank=True)
    cost = models.CharField(_("cost"), max_length=120, blank=True)
    registration_needed = models.BooleanField(_("registration needed"), default=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    rejection_reason = models.TextField(_("reason for rejection"), max_length=2000, blank=True)
    submitter_email = models.EmailField(_("submitter's e-mail"), blank=True)
    submission_token = models.UUIDField(_("submission token"), null=True, blank=True, unique=True)
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
        ]
        indexes = [models.Index(fields=["status", "valid_until"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network-offer", args=[self.slug])


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
