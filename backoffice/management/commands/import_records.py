"""Import a CSV or XLSX spreadsheet of records as a given user, with the admin's checks and scoping."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from backoffice.imports import RESOURCES, records_import
from backoffice.resources.base import DATE_ORDERS


class Command(BaseCommand):
    help = (
        "Import records from a .csv or .xlsx file, e.g. `import_records meetings m.xlsx --user admin --dry-run`. "
        "Nothing is saved on a dry run or when any row has an error."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(RESOURCES))
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="User name the import is made as (and scoped to).")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and report; save nothing.")
        parser.add_argument(
            "--date-order",
            choices=sorted(DATE_ORDERS),
            default="iso",
            help="How dates typed as text are written: iso (YYYY-MM-DD only, the default), dmy (DD/MM/YYYY) or "
            "mdy (MM/DD/YYYY). Without dmy or mdy, a date like 05/11/2024 is an error naming its row and column.",
        )

    def handle(self, *args, kind, file, user, dry_run, date_order, **options):
        try:
            account = get_user_model().objects.get(username=user, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Unknown or inactive user {user!r}.") from None
        model = RESOURCES[kind]._meta.model
        if not account.has_perm(f"{model._meta.app_label}.add_{model._meta.model_name}"):
            raise CommandError(f"{account.username} may not import {kind}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        verbosity = options["verbosity"]

        def progress(number, total, row_result):
            if verbosity >= 2 or (verbosity == 1 and (number % 500 == 0 or number == total)):
                self.stdout.write(f"\rRow {number}/{total}: {row_result.import_type}", ending="")

        try:
            outcome = records_import(
                kind=kind,
                name=path.name,
                data=path.read_bytes(),
                user=account,
                dry_run=dry_run,
                date_order=date_order,
                progress=progress,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if verbosity >= 1:
            self.stdout.write("")
        if outcome.errors:
            for line in outcome.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(outcome.errors)} error(s); nothing was saved.")
        counts = ", ".join(f"{n} {k}" for k, n in outcome.counts.items() if n)
        prefix = "Dry run, nothing saved" if dry_run else "Imported"
        self.stdout.write(f"{prefix}: {counts or 'no rows'}.")
