"""Create the back-office roles (groups) with their permissions; safe to run again."""

from django.core.management.base import BaseCommand

from backoffice.roles import setup_roles


class Command(BaseCommand):
    help = "Create or update the groups RCP secretariat, GFMD Support Unit and Administrator with their permissions."

    def handle(self, *args, **options):
        for name, count in setup_roles().items():
            if options["verbosity"] >= 1:
                self.stdout.write(f"{name}: {count} permissions")
