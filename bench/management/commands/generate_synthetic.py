"""Fill a database with marked synthetic data for load tests and benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError

from bench.synthetic import RealDataPresent, generate_synthetic, sizes_for


class Command(BaseCommand):
    help = (
        "Generate realistic synthetic processes, meetings, documents, recommendations, follow-ups, "
        "dispatches and focal points (scale 1: 200 processes, 20,000 meetings, 50,000 documents, "
        "50,000 recommendations, 100,000 follow-ups, 100,000 dispatches, 10,000 focal points). "
        "Refuses to write next to real data unless --alongside-real-data is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Multiplier of the scale-1 sizes (default 1).")
        parser.add_argument("--seed", type=int, default=2009, help="Random seed, for repeatable data (default 2009).")
        parser.add_argument(
            "--alongside-real-data",
            action="store_true",
            help="Allow writing into a database that already holds real (non-synthetic) processes.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only say how many records would be written.")

    def handle(self, *args, scale, seed, alongside_real_data, dry_run, **options):
        if scale <= 0:
            raise CommandError("--scale must be greater than 0.")
        if dry_run:
            for name, count in sizes_for(scale).items():
                self.stdout.write(f"{name}: {count:,}")
            return
        log = self.stdout.write if options["verbosity"] > 0 else (lambda message: None)
        started = time.monotonic()
        try:
            generate_synthetic(scale=scale, seed=seed, alongside_real_data=alongside_real_data, log=log)
        except RealDataPresent as error:
            raise CommandError(str(error)) from error
        log(self.style.SUCCESS(f"Synthetic data written in {time.monotonic() - started:.0f} s."))
