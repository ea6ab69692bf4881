"""Load demo content, idempotently: run it twice and nothing is duplicated.

Each app that has demo content keeps it in its own ``demo.py`` with a ``seed(out)`` function;
this command runs them in INSTALLED_APPS order (people first, then the pages that refer to
them), so no app has to import the apps above it.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Create demo users and content (safe to run repeatedly; refused in production)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even when DJANGO_ENV=production (demo accounts have printed passwords).",
        )

    def handle(self, *args, **options):
        if settings.IS_PRODUCTION and not options["allow_production"]:
            raise CommandError(
                "Refusing to load demo accounts with known passwords in production. "
                "Pass --allow-production for a throw-away demo server."
            )
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo"
            if not app_config.name.count(".") and find_spec(module_name) is not None:
                module = import_module(module_name)
                with transaction.atomic():
                    module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
