from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LokalwillkommenConfig(AppConfig):
    name = "lokalwillkommen"
    verbose_name = _("lokal willkommen")

    def ready(self):
        from . import identity, signals  # noqa: F401

        identity.connect_signals()
