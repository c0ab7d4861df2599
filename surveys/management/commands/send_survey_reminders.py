from django.core.management.base import BaseCommand

from surveys.workflow import reminder_steps, send_reminders


class Command(BaseCommand):
    help = (
        "Remind the respondents of open surveys who have not submitted, at the steps of SURVEY_REMINDER_DAYS "
        "before the deadline; each step once per process (run it daily from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the reminders due without sending them.")

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        reminders = send_reminders(dry_run=dry_run)
        if verbosity >= 2:
            for response, days in reminders:
                self.stdout.write(f"{response.survey.slug} · {response.process.short_name} · {days}")
        if verbosity >= 1:
            verb = "due" if dry_run else "sent"
            steps = ", ".join(str(d) for d in reminder_steps())
            self.stdout.write(f"{len(reminders)} reminder(s) {verb} (steps: {steps} days before the deadline).")
