from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    """Who viewed, changed, exported or erased which record, and when."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CREATE = "create", _("created")
        CHANGE = "change", _("changed")
        DELETE = "delete", _("deleted")
        EXPORT = "export", _("exported")
        ERASE = "erase", _("erased")
        ANONYMISE = "anonymise", _("anonymised")
        SEARCH = "search", _("searched")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    subject_type = models.CharField(_("record type"), max_length=40)
    subject_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    subject_label = models.CharField(_("record"), max_length=60, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.subject_label}"


class District(models.Model):
    """A district (Stadtteil) of the city: offices, households, organisations and volunteers
    are in one, and filters and the gap analysis group by it."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    # Districts that share a border: referral suggestions and volunteer matching rank an
    # offer or a volunteer next door just after one in the district itself.
    neighbours = models.ManyToManyField(
        "self", verbose_name=_("neighbouring districts"), symmetrical=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    """A language spoken in an office, by a household, in an offer or by a volunteer."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        from .languages import language_label

        return language_label(self.code, self.name)


class CacheVersion(models.Model):
    """The current version of values every process keeps in memory (``caching.py``): a new
    random token whenever the rows they are built from change."""

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    token = models.BigIntegerField(_("token"))

    class Meta:
        verbose_name = _("cache version")
        verbose_name_plural = _("cache versions")

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"
