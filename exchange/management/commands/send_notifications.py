"""Send the back office's daily summaries of exchange notifications, and any immediate one still waiting (cron)."""

from django.core.management.base import BaseCommand

from exchange.models import Notification
from exchange.notifications import daily_summaries, send_daily_summaries, send_immediate


class Command(BaseCommand):
    help = (
        "E-mail each user who chose a daily summary the exchange steps that concern them, in one message, "
        "and send any immediate notification that could not be sent at the time. Safe to run twice: "
        "nothing is ever sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent; send nothing.")

    def handle(self, *args, dry_run, verbosity, **options):
        if dry_run:
            summaries = daily_summaries()
            waiting = Notification.objects.pending().exclude(user__in=list(summaries)).count()
            if verbosity >= 2:
                for user, notifications in summaries.items():
                    self.stdout.write(f"{user.email}: {len(notifications)} step(s)")
            self.stdout.write(
                f"{len(summaries)} daily summary(ies) and up to {waiting} immediate notification(s) would be sent."
            )
            return
        immediate = send_immediate()
        summaries = send_daily_summaries()
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(f"{summaries} daily summary(ies) and {immediate} waiting notification(s) sent.")
            )
