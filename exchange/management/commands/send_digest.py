"""Send the daily or weekly e-mail digest of published dispatches (run it from cron)."""

from django.core.management.base import BaseCommand

from exchange.digest import send_digests
from exchange.models import Subscription


class Command(BaseCommand):
    help = "Send confirmed subscribers the dispatches published since their last digest. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--frequency", choices=Subscription.Frequency.values, required=True)
        parser.add_argument("--dry-run", action="store_true", help="Say who would get what; send nothing.")

    def handle(self, *args, frequency, dry_run, verbosity, **options):
        sent = send_digests(frequency=frequency, dry_run=dry_run)
        if verbosity >= 2:
            for subscription, count in sent:
                self.stdout.write(f"{subscription.email}: {count} dispatch(es)")
        if verbosity >= 1:
            verb = "would be sent" if dry_run else "sent"
            self.stdout.write(self.style.SUCCESS(f"{len(sent)} {frequency} digest(s) {verb}."))
