import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from surveys.workflow import reminder_steps, send_reminders


class Command(BaseCommand):
    help = (
        "Remind the respondents of open surveys who have not submitted, at the steps of SURVEY_REMINDER_DAYS "
        "before the deadline; each step once per process (run it daily from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the reminders due without sending them.")
        parser.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="Run as on this day (a missed run caught up, or a rehearsal with --dry-run); default: now.",
        )

    def handle(self, *args, dry_run=False, as_of=None, verbosity=1, **options):
        now = None
        if as_of:
            try:
                day = datetime.date.fromisoformat(as_of)
            except ValueError as error:
                raise CommandError(f"--as-of takes a date as YYYY-MM-DD, not {as_of!r}.") from error
            now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))
        reminders = send_reminders(now=now, dry_run=dry_run)
        if verbosity >= 2:
            for response, days in reminders:
                self.stdout.write(f"{response.survey.slug} · {response.process.short_name} · {days}")
        if verbosity >= 1:
            verb = "due" if dry_run else "sent"
            steps = ", ".join(str(d) for d in reminder_steps())
            self.stdout.write(f"{len(reminders)} reminder(s) {verb} (steps: {steps} days before the deadline).")
