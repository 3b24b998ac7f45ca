"""Support categories shared by household needs and network offers.

The gap analysis matches a household's needs against published offers of the same category,
so both use this one list.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Need(models.TextChoices):
    HOUSING = "housing", _("Housing")
    KITA = "kita", _("Kita place and childcare")
    SCHOOL = "school", _("School and homework help")
    LANGUAGE = "language", _("Language course and language café")
    WORK = "work", _("Work and Jobcenter")
    HEALTH = "health", _("Health")
    AUTHORITIES = "authorities", _("Authorities and forms")
    LEISURE = "leisure", _("Leisure, sports and clubs")
    OTHER = "other", _("Other")
