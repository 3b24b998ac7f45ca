"""Casework: households, home visits, drop-in consultations and referrals.

Personal data lives only in the fields marked "personal" below; anonymisation empties exactly
those fields and every free-text note, and keeps counts and categories for statistics.
No religion, no ethnicity; health appears only as a need category and in restricted notes.
"""

from collections import Counter

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lokalwillkommen.categories import Need
from lokalwillkommen.models import District, Language

from . import tallies


class Household(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("new")
        CONTACTED = "contacted", _("contacted")
        VISITED = "visited", _("visited")
        IN_SUPPORT = "in_support", _("in support")
        CLOSED = "closed", _("closed")

    class ConsentScope(models.TextChoices):
        CASEWORK = "casework", _("Records for visits and advice")
        REFERRALS = "referrals", _("Records, and passing contact details to partners")

    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    # Personal fields: emptied on anonymisation.
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    street = models.CharField(_("street and number"), max_length=120, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    previous_housing = models.CharField(
        _("transitional housing moved out of"), max_length=120, blank=True
    )
    notes = models.TextField(
        _("restricted notes"),
        blank=True,
        help_text=_("Only what the support needs. No religion or ethnicity."),
    )
    # Kept for statistics.
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="households"
    )
    moved_in_on = models.DateField(_("move-in date"), null=True, blank=True)
    size = models.PositiveSmallIntegerField(_("household size"), default=1)
    children_0_2 = models.PositiveSmallIntegerField(_("children aged 0–2"), default=0)
    children_3_5 = models.PositiveSmallIntegerField(_("children aged 3–5"), default=0)
    children_6_9 = models.PositiveSmallIntegerField(_("children aged 6–9"), default=0)
    children_10_17 = models.PositiveSmallIntegerField(_("children aged 10–17"), default=0)
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages"), related_name="households", blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    team = models.ForeignKey(
        "offices.Team", verbose_name=_("team"), on_delete=models.PROTECT, related_name="households"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible staff member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_scope = models.CharField(
        _("consent scope"), max_length=12, choices=ConsentScope.choices, blank=True
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [
            models.Index(fields=["created_at"], name="household_created_idx"),
            # The dashboard's "not yet visited", most overdue first (PostgreSQL reads it in
            # this order: ascending keeps the households without a date last).
            models.Index(
                fields=["moved_in_on", "created_at"],
                condition=Q(status__in=("new", "contacted")),
                name="household_not_visited_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=1), name="household_size_positive"),
            models.CheckConstraint(
                condition=Q(
                    size__gte=F("children_0_2")
                    + F("children_3_5")
                    + F("children_6_9")
                    + F("children_10_17")
                ),
                name="household_children_within_size",
            ),
            models.CheckConstraint(
                condition=Q(status="closed") | Q(closed_at__isnull=True),
                name="household_closed_at_only_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=True) | Q(status="closed"),
                name="household_anonymised_is_closed",
            ),
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=False)
                | Q(consent_given_on__isnull=False, consent_scope__gt=""),
                name="household_consent_recorded",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("consultations-household-detail", args=[self.pk])

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def children(self) -> int:
        return self.children_0_2 + self.children_3_5 + self.children_6_9 + self.children_10_17


class HouseholdNeed(models.Model):
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="needs"
    )
    need = models.CharField(_("need"), max_length=20, choices=Need.choices)

    class Meta:
        ordering = ["need"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        constraints = [
            models.UniqueConstraint(fields=["household", "need"], name="household_need_once")
        ]

    def __str__(self) -> str:
        return self.get_need_display()


class HomeVisit(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        MISSED = "missed", _("missed")
        # Ended without taking place: consent withdrawn, data erased, or called off.
        CANCELLED = "cancelled", _("cancelled")

    class Kind(models.TextChoices):
        FIRST = "first", _("first visit")
        FOLLOW_UP = "follow_up", _("follow-up visit")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="visits"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    scheduled_at = models.DateTimeField(_("date and time"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FIRST)
    information_given = models.TextField(_("information handed over"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        indexes = [
            models.Index(fields=["status", "scheduled_at"]),
            # The dashboard: a staff member's planned visits in order, and the follow-ups due
            # this week read from the few that are.
            models.Index(
                fields=["staff", "status", "scheduled_at"], name="visit_staff_planned_idx"
            ),
            models.Index(fields=["next_follow_up_on"], name="visit_follow_up_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.scheduled_at:%Y-%m-%d %H:%M} {self.status}"


class ConsultationQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        tallies.consultations_added(created)
        return created


class Consultation(models.Model):
    office = models.ForeignKey(
        "offices.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    held_at = models.DateTimeField(_("time"), db_index=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.ForeignKey(
        Language,
        verbose_name=_("language used"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"), default=15)
    notes = models.TextField(_("notes"), blank=True)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-held_at", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=600),
                name="consultation_duration_plausible",
            )
        ]
        indexes = [
            # The report counts a period's consultations by office, language and interpreter
            # need: read from this index alone, not from the table.
            models.Index(
                fields=["held_at", "office", "language", "interpreter_needed"],
                name="consultation_report_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.held_at:%Y-%m-%d %H:%M}"

    TALLIED = ("held_at", "office_id", "language_id", "interpreter_needed")

    def save(self, *args, **kwargs):
        """Saved, with the report's monthly counts (``tallies``) moved from the stored values
        to the new ones, and the topics' copy of the time."""
        before = None
        if not self._state.adding and self.pk is not None:
            before = (
                Consultation.objects.filter(pk=self.pk).values_list(*self.TALLIED).first()
            )
        super().save(*args, **kwargs)
        after = tuple(getattr(self, name) for name in self.TALLIED)
        if before == after:
            return
        deltas = Counter(tallies.consultation_keys(*after))
        if before is not None:
            deltas.subtract(tallies.consultation_keys(*before))
            if tallies.month_of(before[0]) != tallies.month_of(after[0]):
                for topic in self.topics.all():
                    deltas[tallies.topic_key(before[0], topic.topic)] -= 1
                    deltas[tallies.topic_key(after[0], topic.topic)] += 1
            # the topics carry the consultation's time (see ConsultationTopic.held_at)
            self.topics.exclude(held_at=self.held_at).update(held_at=self.held_at)
        tallies.add(deltas)


class ConsultationTopicQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Topics get their consultation's time, also when created in bulk (``save`` is not
        called then): from the consultation object, or read for those given only by id."""
        objs = list(objs)
        missing = {
            t.consultation_id for t in objs
            if t.held_at is None and not ConsultationTopic.consultation.is_cached(t)
        }
        times, missing = {}, sorted(missing)
        for i in range(0, len(missing), 1000):
            chunk = Consultation.objects.filter(pk__in=missing[i : i + 1000])
            times.update(chunk.values_list("pk", "held_at"))
        for topic in objs:
            if topic.held_at is None:
                topic.held_at = (
                    topic.consultation.held_at
                    if ConsultationTopic.consultation.is_cached(topic)
                    else times[topic.consultation_id]
                )
        created = super().bulk_create(objs, *args, **kwargs)
        tallies.topics_added(created)
        return created


class ConsultationTopic(models.Model):
    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE,
        related_name="topics",
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Need.choices)
    # The consultation's time, kept here so that the report counts a period's topics from
    # one index (held_at, topic) instead of joining every consultation of the period: set on
    # save and bulk_create, changed with the consultation's (Consultation.save).
    held_at = models.DateTimeField(_("time"), editable=False)

    objects = ConsultationTopicQuerySet.as_manager()

    class Meta:
        ordering = ["topic"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "topic"], name="consultation_topic_once"
            )
        ]
        indexes = [
            # The report's topics of a period: read from this index alone.
            models.Index(fields=["held_at", "topic"], name="consultation_topic_report_idx")
        ]

    def __str__(self) -> str:
        return self.get_topic_display()

    def save(self, *args, **kwargs):
        if self.held_at is None:
            self.held_at = self.consultation.held_at
        before = None
        if not self._state.adding and self.pk is not None:
            before = (
                ConsultationTopic.objects.filter(pk=self.pk)
                .values_list("held_at", "topic")
                .first()
            )
        super().save(*args, **kwargs)
        if before != (self.held_at, self.topic):
            deltas = Counter({tallies.topic_key(self.held_at, self.topic): 1})
            if before is not None:
                deltas[tallies.topic_key(*before)] -= 1
            tallies.add(deltas)


class ConsultationTally(models.Model):
    """How many consultations of a month had an office, a language, an interpreter need or a
    topic: the report's figures for whole months (see ``tallies``). No person, only counts."""

    class Dimension(models.TextChoices):
        OFFICE = tallies.OFFICE, _("office")
        LANGUAGE = tallies.LANGUAGE, _("language used")
        INTERPRETER = tallies.INTERPRETER, _("interpreter needed")
        TOPIC = tallies.TOPIC, _("topic")

    month = models.DateField(_("month"))
    dimension = models.CharField(_("counted by"), max_length=20, choices=Dimension.choices)
    value = models.CharField(_("value"), max_length=40, blank=True)
    n = models.IntegerField(_("consultations"), default=0)

    class Meta:
        verbose_name = _("monthly count of consultations")
        verbose_name_plural = _("monthly counts of consultations")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "dimension", "value"], name="consultation_tally_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.dimension} {self.value}: {self.n}"


class Referral(models.Model):
    """A household or a consultation sent to a partner organisation or offer, followed up."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("suggested")
        CONTACTED = "contacted", _("contacted")
        TAKEN_UP = "taken_up", _("taken up")
        NOT_TAKEN_UP = "not_taken_up", _("not taken up")
        # Ended without an outcome: consent withdrawn, data erased, or called off.
        CANCELLED = "cancelled", _("cancelled")

    class OutcomeReason(models.TextChoices):
        WAITING_LIST = "waiting_list", _("on a waiting list")
        FULL = "full", _("no places left")
        LANGUAGE = "language", _("not in a language they speak")
        DISTANCE = "distance", _("too far away")
        DECLINED = "declined", _("the household declined")
        OTHER = "other", _("other reason")

    OPEN_STATUSES = (Status.SUGGESTED, Status.CONTACTED)

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE,
        null=True, blank=True, related_name="referrals",
    )
    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE,
        null=True, blank=True, related_name="referrals",
    )
    visit = models.ForeignKey(
        HomeVisit, verbose_name=_("home visit"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="referrals",
    )
    # The office of the consultation it came from, kept on the referral so that "referrals of
    # my teams" is a look at two columns (this and the household's team), not a join through
    # every consultation (set by services.referral_create).
    office = models.ForeignKey(
        "offices.Office", verbose_name=_("office"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+", editable=False,
    )
    organisation = models.ForeignKey(
        "network.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    offer = models.ForeignKey(
        "network.Offer", verbose_name=_("offer"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    category = models.CharField(_("category"), max_length=20, choices=Need.choices)
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.SUGGESTED,
        db_index=True,
    )
    outcome_reason = models.CharField(
        _("why not taken up"), max_length=14, choices=OutcomeReason.choices, blank=True
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    # Kept by the database: 1 while suggested or contacted, else 0, so the dashboard reads the
    # open referrals from an index in the order it shows them (a number: SQLite uses an index
    # for "waiting = 1", not for a bare boolean column).
    waiting = models.GeneratedField(
        expression=Case(
            When(status__in=["suggested", "contacted"], then=Value(1)),
            default=Value(0),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("waiting for an outcome"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["created_at"], name="referral_created_idx"),
            # The dashboard's open referrals, read in the order it shows them.
            models.Index(
                fields=["waiting", "follow_up_on", "created_at"], name="referral_waiting_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=False) | Q(consultation__isnull=False),
                name="referral_has_household_or_consultation",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(offer__isnull=False),
                name="referral_has_organisation_or_offer",
            ),
            models.CheckConstraint(
                condition=~Q(status="not_taken_up") | ~Q(outcome_reason=""),
                name="referral_not_taken_up_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} → {self.offer or self.organisation}"

    @property
    def target(self):
        return self.offer or self.organisation


class SubmissionToken(models.Model):
    """A form's one-time token: the second submit of the same form creates nothing."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="+",
    )
    redirect_to = models.CharField(_("result"), max_length=300)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("submission token")
        verbose_name_plural = _("submission tokens")

    def __str__(self) -> str:
        return self.token
