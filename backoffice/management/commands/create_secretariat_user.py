"""Create a secretariat user for one or more processes and print a one-time set-password link."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backoffice.users import secretariat_user_create, set_password_link
from rcps.models import Process


class Command(BaseCommand):
    help = (
        "Create a back-office user in the RCP secretariat group, serving the given processes. No password is set: "
        "the command prints a one-time link where the user chooses one."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("--process", action="append", required=True, help="Process slug; repeat for several.")
        parser.add_argument("--base-url", default=settings.SITE_URL, help="Site address used in the link.")

    def handle(self, *args, username, email, process, base_url, **options):
        processes = list(Process.objects.filter(slug__in=process))
        unknown = sorted(set(process) - {p.slug for p in processes})
        if unknown:
            raise CommandError(f"Unknown process: {', '.join(unknown)}")
        user, created = secretariat_user_create(username=username, email=email, processes=processes)
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} {user.username}, secretariat of: {', '.join(p.short_name for p in processes)}")
        self.stdout.write(f"One-time set-password link: {set_password_link(user, base_url)}")
