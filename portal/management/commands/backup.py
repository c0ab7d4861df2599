"""Back up the database and the uploaded files into one archive (see portal/backup.py and the README)."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one .tar archive with the database (pg_dump on PostgreSQL, or Django's serializers: --method "
        "portable) and every uploaded file, with a manifest of row counts and checksums. Restore with `restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Archive to write (default: backups/rcp-portal-<date>-<time>.tar).",
        )
        parser.add_argument(
            "--method",
            choices=["pg_dump", "portable"],
            help="pg_dump (PostgreSQL only; its default) or portable (any database; the default elsewhere).",
        )

    def handle(self, *args, output, method, **options):
        if not output:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
            output = Path("backups") / f"rcp-portal-{stamp}.tar"
        try:
            create_backup(output, method=method, log=self._log(options["verbosity"]))
        except BackupError as error:
            raise CommandError(str(error)) from None

    def _log(self, verbosity):
        return (lambda message: self.stdout.write(message)) if verbosity else (lambda message: None)
