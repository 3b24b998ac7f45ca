from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Casework")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from lokalwillkommen.models import District
        from lokalwillkommen.staff_cache import bump_casework_version
        from offices.models import Team

        from .models import Household, HouseholdNeed

        # What the cached household list shows (lokalwillkommen/staff_cache.py).
        for model in (Household, HouseholdNeed, Team, District):
            for signal in (post_save, post_delete):
                signal.connect(
                    bump_casework_version,
                    sender=model,
                    dispatch_uid=f"casework-version-{model.__name__}-{signal is post_save}",
                )
