"""Restore a backup archive into an empty database and media folder, and verify it (see portal/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, restore_archive


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into an empty database and an empty MEDIA_ROOT, then check every "
        "table and every file against the backup's manifest. Refuses a database or media folder that holds data."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar file written by `manage.py backup`.")

    def handle(self, *args, archive, **options):
        log = (lambda message: self.stdout.write(message)) if options["verbosity"] else (lambda message: None)
        try:
            restore_archive(archive, log=log)
        except BackupError as error:
            raise CommandError(str(error)) from None
