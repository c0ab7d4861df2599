"""Record addresses the mail server reported as undeliverable, so no list writes to them again.

    python manage.py record_bounce someone@example.org [more@example.org ...] --reason "550 no such user"

Run it by hand from a bounce report, or from the mail server's bounce pipe; the admin's
"Bounces" page shows them and removing a row there lets the address receive mail again.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from members.models import Bounce


class Command(BaseCommand):
    help = "Record undeliverable e-mail addresses: lists skip them from now on."

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="+")
        parser.add_argument("--reason", default="")

    def handle(self, *args, emails, reason, **options):
        for email in emails:
            try:
                validate_email(email)
            except ValidationError as error:
                raise CommandError(f"Not an e-mail address: {email!r}") from error
        for email in emails:
            Bounce.objects.update_or_create(email=email.lower(), defaults={"reason": reason[:300]})
        self.stdout.write(f"{len(emails)} bounce(s) recorded.")
