from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LokalwillkommenConfig(AppConfig):
    name = "lokalwillkommen"
    verbose_name = _("lokal willkommen")

    def ready(self):
        from . import signals  # noqa: F401

        signals.connect_reference_signals()
