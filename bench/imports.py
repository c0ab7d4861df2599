"""The import benchmark: a file of N synthetic meetings (CSV or XLSX) imported as a secretariat would.

`manage.py bench --imports` (and `make bench`) runs `measure_import` for CSV and XLSX: each
import runs in a fresh process, with validation, atomicity and history as in the admin, and
is rolled back at the end so the benchmark database stays as it was. Reported: seconds,
rows per second and the process's peak memory (RSS).
"""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from backoffice.resources import MeetingResource
from backoffice.spreadsheets import write_csv, write_xlsx

IMPORT_ROWS = 10_000
# The target of the issue "Imports fast": 10,000 meetings in at most 15 s.
TARGET_SECONDS = 15


def meetings_dataset(rows, process_slugs, country_codes, theme_slugs):
    """A Dataset of `rows` new meetings in the export's columns, every one valid and distinct."""
    resource = MeetingResource()
    headers = [f.column_name for f in resource.get_export_fields()]
    from tablib import Dataset

    dataset = Dataset(headers=headers)
    start = datetime.date(2030, 1, 1)
    kinds = ["ministerial", "senior_officials", "technical", "training"]
    for n in range(rows):
        day = start + datetime.timedelta(days=n % 3000)
        values = {
            "title": f"Synthetic import meeting {n:05d}",
            "start_date": day,
            "end_date": day + datetime.timedelta(days=n % 3),
            "date_precision": "day",
            "kind": kinds[n % len(kinds)],
            "level": "",
            "organizing_processes": process_slugs[n % len(process_slugs)],
            "parent": None,
            "session_code": "",
            "city": "Colombo",
            "country": country_codes[n % len(country_codes)],
            "host": "=Ministry of Foreign Employment" if n % 50 == 0 else "Ministry of Foreign Employment",
            "themes": ",".join(theme_slugs[(n % len(theme_slugs)) : (n % len(theme_slugs)) + 2]),
            "description": f"Line one of meeting {n}.\nLine two.",
            "website": "https://example.org/meeting",
            "visibility": "public",
            "source": "synthetic benchmark import",
        }
        dataset.append([values.get(name, "") for name in headers])
    return dataset


def write_file(folder, rows, fmt, process_slugs, country_codes, theme_slugs):
    dataset = meetings_dataset(rows, process_slugs, country_codes, theme_slugs)
    path = Path(folder) / f"meetings-{rows}.{fmt}"
    if fmt == "csv":
        path.write_text(write_csv(dataset), encoding="utf-8")
    else:
        path.write_bytes(write_xlsx(dataset))
    return path


# Run in a fresh process: the import as `import_records` runs it, rolled back at the end.
SCRIPT = """
import json, resource, sys, time, django
django.setup()
from django.contrib.auth import get_user_model
from django.db import transaction
from backoffice.imports import records_import
path, username = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
user = get_user_model().objects.get(username=username)
class Rollback(Exception):
    pass
start = time.monotonic()
try:
    with transaction.atomic():
        outcome = records_import(kind="meetings", name=path, data=data, user=user, dry_run=False)
        elapsed = time.monotonic() - start
        raise Rollback
except Rollback:
    pass
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "counts": outcome.counts, "errors": outcome.errors[:5], "peak_rss_mb": peak}))
"""


def measure_import(path, username, settings_module=None):
    env = {**os.environ}
    if settings_module:
        env["DJANGO_SETTINGS_MODULE"] = settings_module
    output = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(path), username],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
        timeout=600,
    )
    if output.returncode:
        raise RuntimeError(f"The import benchmark failed:\n{output.stderr[-3000:]}")
    figures = json.loads(output.stdout.strip().splitlines()[-1])
    rows = figures["counts"].get("new", 0) + figures["counts"].get("update", 0)
    figures["rows"] = rows
    figures["rows_per_s"] = round(rows / max(figures["seconds"], 1e-6), 1)
    return figures
