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


# The admin's two steps (upload with dry run, then confirm), through Django's test client in a
# fresh process, rolled back at the end: each must finish well within a worker's timeout (30 s).
ADMIN_SCRIPT = """
import json, resource, sys, time, django
django.setup()
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
setup_test_environment()  # so the test client keeps each answer's template context (the confirm form)
path, username = sys.argv[1], sys.argv[2]
client = Client()
client.force_login(get_user_model().objects.get(username=username))
class Rollback(Exception):
    pass
figures = {}
try:
    with transaction.atomic():
        start = time.monotonic()
        with open(path, "rb") as upload:
            form = {"format": "1", "resource": "0", "import_file": upload}
            response = client.post(reverse("admin:meetings_meeting_import"), form)
        figures["dry_run_s"] = time.monotonic() - start
        context = response.context or {}
        confirm = context["confirm_form"] if "confirm_form" in context else None
        if confirm is None:
            form = context.get("form")
            problems = context.get("error_lines") or (form.errors if form is not None else response.status_code)
            raise SystemExit("the dry run found problems: " + str(problems)[:500])
        start = time.monotonic()
        response = client.post(reverse("admin:meetings_meeting_process_import"), confirm.initial)
        figures["confirm_s"] = time.monotonic() - start
        figures["status"] = response.status_code
        raise Rollback
except Rollback:
    pass
figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(figures))
"""


def measure_admin_import(path, username, settings_module=None):
    env = {**os.environ}
    if settings_module:
        env["DJANGO_SETTINGS_MODULE"] = settings_module
    output = subprocess.run(
        [sys.executable, "-c", ADMIN_SCRIPT, str(path), username],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
        timeout=600,
    )
    if output.returncode:
        raise RuntimeError(f"The admin import benchmark failed:\n{output.stderr[-3000:]}{output.stdout[-500:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def bench_user(processes):
    """A secretariat user serving `processes`, as the benchmark imports as one."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from core.roles import SECRETARIAT
    from rcps.models import SecretariatAssignment

    user, _created = get_user_model().objects.get_or_create(username="bench-secretariat", defaults={"is_staff": True})
    group, _created = Group.objects.get_or_create(name=SECRETARIAT)
    user.groups.add(group)
    for process in processes:
        SecretariatAssignment.objects.get_or_create(user=user, process=process)
    return user


def run_import_benchmarks(folder, rows=IMPORT_ROWS, settings_module=None, write=print):
    """Figures for a file of `rows` meetings: CSV and XLSX by the command's function, XLSX through the admin."""
    from rcps.models import Process
    from reference.models import Country, Theme

    processes = list(Process.objects.public().order_by("pk")[:3])
    if not processes:
        raise RuntimeError("The import benchmark needs processes (load the fixtures).")
    user = bench_user(processes)
    codes = list(Country.objects.order_by("code").values_list("code", flat=True)[:50])
    themes = list(Theme.objects.order_by("slug").values_list("slug", flat=True)) or [""]
    results = []
    for fmt in ("csv", "xlsx"):
        path = write_file(folder, rows, fmt, [p.slug for p in processes], codes, themes)
        figures = measure_import(path, user.username, settings_module)
        result = {
            "group": "import",
            "page": f"import {rows:,} meetings ({fmt.upper()})",
            "rows": figures["rows"],
            "seconds": round(figures["seconds"], 2),
            "rows_per_s": figures["rows_per_s"],
            "peak_rss_mb": round(figures["peak_rss_mb"], 1),
            "errors": figures["errors"],
        }
        results.append(result)
        write(
            f"{result['page']}: {result['seconds']:.1f} s, {result['rows_per_s']:,.0f} rows/s, "
            f"peak RSS {result['peak_rss_mb']:.0f} MB"
        )
        if fmt == "xlsx":
            admin = measure_admin_import(path, user.username, settings_module)
            result = {
                "group": "import",
                "page": f"admin import {rows:,} meetings (XLSX)",
                "dry_run_s": round(admin["dry_run_s"], 2),
                "confirm_s": round(admin["confirm_s"], 2),
                "status": admin["status"],
                "peak_rss_mb": round(admin["peak_rss_mb"], 1),
            }
            results.append(result)
            write(
                f"{result['page']}: dry run {result['dry_run_s']:.1f} s, confirm {result['confirm_s']:.1f} s "
                f"(answer {result['status']}), peak RSS {result['peak_rss_mb']:.0f} MB"
            )
    return results
