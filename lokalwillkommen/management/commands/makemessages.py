"""makemessages that keeps each app's strings in the app's own catalogue.

Django files a template under ``templates/<app>/`` into the project catalogue; this
command files it into ``<app>/locale`` instead, so ``offices``, ``consultations`` and
``network`` each carry their own translations. ``--app NAME`` updates only that app's
catalogue (``--app project`` for the top-level ``locale/``).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.commands import makemessages

APPS = ("offices", "consultations", "network")


class Command(makemessages.Command):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--app", default="", help="update only this app's catalogue")

    def handle(self, *args, **options):
        self.only_app = options.pop("app", "")
        return super().handle(*args, **options)

    def find_files(self, root):
        base = Path(settings.BASE_DIR).resolve()
        files = []
        for translatable in super().find_files(root):
            path = Path(translatable.dirpath).resolve()
            try:
                parts = path.relative_to(base).parts
            except ValueError:
                parts = ()
            if len(parts) >= 2 and parts[0] == "templates" and parts[1] in APPS:
                translatable.locale_dir = str(base / parts[1] / "locale")
            owner = Path(translatable.locale_dir).resolve().parent
            app = owner.name if owner != base else "project"
            if not self.only_app or self.only_app == app:
                files.append(translatable)
        return files
