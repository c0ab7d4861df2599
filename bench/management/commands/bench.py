"""Benchmark the public pages, feeds, calendars and admin changelists under load.

Starts gunicorn on loopback with bench.settings, drives each URL with wrk for a bounded
time, counts the SQL queries each URL runs (in-process, same settings) and prints a table;
`--json` writes the figures. Run it through `make bench`, which prepares the databases.
"""

import html
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token

from backoffice.users import secretariat_user_create
from bench.imports import IMPORT_ROWS, run_import_benchmarks
from bench.mixed import DETAIL_PAGES, meeting_ids, mixed_paths, writer_process
from bench.synthetic import SYNTHETIC_SLUG_PREFIX, SYNTHETIC_SOURCE
from core.directory import BoundedCountPaginator, DirectoryView
from core.pagecache import bump, model_tag, rows_tag
from exchange.models import Dispatch
from meetings.calendars import calendar_meetings
from meetings.models import Document, Meeting
from portal.search import SEARCH_TYPES
from rcps.models import Process
from recommendations.models import Recommendation
from reference.models import Country, GcmObjective, Theme

BENCH_DIR = Path(settings.BASE_DIR) / "bench"
ADMIN_USERNAME = "bench-admin"
SECRETARIAT_USERNAME = "bench-secretariat"
# Feeds and calendars measured only uncached (the cached pass keeps the two main ones).
# Requests of the one-at-a-time search latency, each after a change of the data.
FRESH_SAMPLES = 40
UNCACHED_ONLY = {
    "RSS, all dispatches",
    "Atom, dispatches to the GFMD",
    "Atom, a process's dispatches",
    "Atom, a theme's dispatches",
    "Atom, a process's updates",
    "Atom, good practices",
    "Atom, a GCM objective's practices",
    "iCalendar, a process's meetings",
    "iCalendar, a country's meetings",
    "iCalendar, a meeting",
}


def clear_page_cache():
    """Empty the shared cache (Redis with REDIS_URL: FLUSHDB of its database) so a pass starts cold."""
    caches["default"].clear()


class MeetingWriter:
    """A secretariat editing one of its public meetings through the JSON API once a second, in a thread."""

    def __init__(self, port, token, titles):
        self.url = f"http://127.0.0.1:{port}/api/v1/meetings/"
        self.token, self.titles = token, titles
        self.current = dict(titles)
        self.ok, self.failed, self.last = 0, 0, None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=30)

    def run(self):
        pks = sorted(self.titles)
        index, due = 0, time.monotonic()
        # One write a second on a fixed cadence: a slow answer does not push the next write back.
        while not self.stopping.wait(max(0.0, (due := due + 1.0) - time.monotonic())):
            pk = pks[index % len(pks)]
            index += 1
            original = self.titles[pk]
            title = original if self.current[pk] != original else f"{original} (edited)"
            if self.patch(pk, title):
                self.current[pk], self.last = title, pk

    def patch(self, pk, title):
        request = urllib.request.Request(
            f"{self.url}{pk}/",
            data=json.dumps({"title": title}).encode(),
            method="PATCH",
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                written = json.loads(response.read()).get("title") == title
        except OSError:
            written = False
        self.ok += written
        self.failed += not written
        return written

    def report(self):
        return {"writes_ok": self.ok, "writes_failed": self.failed}

    def change_shows(self, port):
        """Whether the last edited meeting's page, requested anonymously, shows its new title at once."""
        if self.last is None:
            return None
        path = reverse("meetings:meeting_detail", args=[self.last])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
            return html.escape(self.current[self.last], quote=False) in response.read().decode()

    def restore(self):
        """Put the original titles back (after the run: no page is being measured any more)."""
        for pk, title in self.titles.items():
            if self.current[pk] != title:
                Meeting.objects.filter(pk=pk).update(title=title)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def public_targets():
    """(group, label, path) for every public page kind, using real rows of the current database."""
    process = Process.objects.public().filter(participations__isnull=False).order_by("pk").first()
    # Detail pages of real records, the same at both sizes, so that their p50s compare the same page
    # (at scale 1 the synthetic records come on top: the same page then lists more rows).
    meeting = Meeting.objects.public().exclude(source=SYNTHETIC_SOURCE).order_by("-start_date", "pk").first()
    document = Document.objects.public().order_by("pk").first()
    recommendation = Recommendation.objects.public().order_by("pk").first()
    # A country whose page has every section: it takes part in a public process and hosted a public meeting.
    members = Country.objects.filter(
        participations__process__visibility="public",
        participations__process__in=Process.objects.exclude(slug__startswith=SYNTHETIC_SLUG_PREFIX),
    )
    hosts = Meeting.objects.public().exclude(source=SYNTHETIC_SOURCE).values("country")
    country = members.filter(pk__in=hosts).order_by("pk").first() or members.order_by("pk").first()
    targets = [
        ("directory", "processes", reverse("rcps:process_list")),
        ("directory", "meetings", reverse("meetings:meeting_list")),
        ("directory", "documents", reverse("meetings:document_list")),
        ("directory", "recommendations", reverse("recommendations:recommendation_list")),
        ("directory", "focal points", reverse("rcps:focalpoint_list")),
        ("directory", "countries", reverse("rcps:country_list")),
        ("directory", "exchange", reverse("exchange:dispatch_list")),
        ("directory", "meetings, filtered", reverse("meetings:meeting_list") + "?kind=ministerial&sort=-date"),
        ("last page", "meetings, last page", reverse("meetings:meeting_list") + f"?page={last_page(Meeting)}"),
        ("detail", "process profile", process.get_absolute_url() if process else None),
        ("detail", "meeting", meeting.get_absolute_url() if meeting else None),
        ("detail", "document", document.get_absolute_url() if document else None),
        ("detail", "recommendation", recommendation.get_absolute_url() if recommendation else None),
        ("detail", "country", country.get_absolute_url() if country else None),
        ("home", "home", reverse("home")),
        ("search", "search 'labour migration'", reverse("search") + "?q=labour+migration"),
        # A common word: thousands of matches per type at scale 1 (the bounded ranking's worst case).
        ("search", "search 'labour'", reverse("search") + "?q=labour"),
        ("feed", "Atom, all dispatches", reverse("exchange:dispatch_feed", kwargs={"fmt": "atom"})),
        ("calendar", "iCalendar, all meetings", reverse("meetings:meeting_calendar")),
    ]
    return [target for target in targets + feed_targets(process, meeting, country) if target[2]]


def feed_targets(process, meeting, country):
    """Every feed and calendar the portal publishes (besides the two above), for real rows."""
    theme = Theme.objects.filter(pk__in=Dispatch.objects.public().values("themes")).order_by("pk").first()
    objective = GcmObjective.objects.order_by("number").first()
    # A meeting's calendar exists for meetings with exact dates only.
    meeting = calendar_meetings().order_by("-start_date", "pk").first()

    def feed(name, **kwargs):
        return reverse(name, kwargs=kwargs)

    return [
        ("feed", "RSS, all dispatches", feed("exchange:dispatch_feed", fmt="rss")),
        ("feed", "Atom, dispatches to the GFMD", feed("exchange:direction_feed", key="to-gfmd", fmt="atom")),
        (
            "feed",
            "Atom, a process's dispatches",
            process and feed("exchange:process_feed", key=process.slug, fmt="atom"),
        ),
        ("feed", "Atom, a theme's dispatches", theme and feed("exchange:theme_feed", key=theme.slug, fmt="atom")),
        (
            "feed",
            "Atom, a process's updates",
            process and feed("exchange:process_updates_feed", key=process.slug, fmt="atom"),
        ),
        ("feed", "Atom, good practices", feed("practices:practice_feed")),
        (
            "feed",
            "Atom, a GCM objective's practices",
            objective and feed("practices:gcm_objective_feed", number=objective.number),
        ),
        (
            "calendar",
            "iCalendar, a process's meetings",
            process and feed("meetings:process_calendar", slug=process.slug),
        ),
        (
            "calendar",
            "iCalendar, a country's meetings",
            country and feed("meetings:country_calendar", code=country.code.lower()),
        ),
        ("calendar", "iCalendar, a meeting", meeting and feed("meetings:meeting_event", pk=meeting.pk)),
    ]


def rows_shown(response):
    """The rows a page shows: 0 rows say little about speed, and more rows are more work.

    A list's rows, a feed's entries, a calendar's events; for another HTML page (a profile), the
    table rows and list items of its main content (a country's memberships, the meetings it hosted).
    """
    context = getattr(response, "context_data", None) or {}
    page = context.get("page_obj")
    if page is not None:
        return len(page.object_list)
    if "cl" in context:  # an admin changelist
        return len(context["cl"].result_list)
    content_type = response.get("Content-Type", "")
    if "xml" in content_type:  # a feed: its Atom entries or RSS items
        return response.content.count(b"<entry>") + response.content.count(b"<item>")
    if content_type.startswith("text/calendar"):
        return response.content.count(b"BEGIN:VEVENT")
    if content_type.startswith("text/html"):
        body = response.content
        main = body[body.find(b"<main") : body.find(b"</main>")]
        return main.count(b"<tr") + main.count(b"<li")
    return None


def last_page(model):
    public_count = (
        model.objects.public().count() if model is not Meeting else Meeting.objects.public().top_level().count()
    )
    # Directories count at most BoundedCountPaginator.count_bound rows: the last page offered.
    public_count = min(public_count, BoundedCountPaginator.count_bound + 1)
    return max(1, -(-public_count // DirectoryView.paginate_by))


ADMIN_TARGETS = [
    ("admin", "admin: processes", "admin:rcps_process_changelist"),
    ("admin", "admin: meetings", "admin:meetings_meeting_changelist"),
    ("admin", "admin: documents", "admin:meetings_document_changelist"),
    ("admin", "admin: recommendations", "admin:recommendations_recommendation_changelist"),
    ("admin", "admin: focal points", "admin:rcps_focalpoint_changelist"),
    ("admin", "admin: countries", "admin:reference_country_changelist"),
    ("admin", "admin: dispatches", "admin:exchange_dispatch_changelist"),
]


# (name, directory, format): the streamed exports measured, the largest tables first.
EXPORT_TARGETS = [
    ("CSV export, dispatches", "exchange:dispatch_list", "csv"),
    ("JSON export, dispatches", "exchange:dispatch_list", "json"),
    ("CSV export, documents", "meetings:document_list", "csv"),
    ("CSV export, recommendations", "recommendations:recommendation_list", "csv"),
    ("CSV export, meetings", "meetings:meeting_list", "csv"),
    ("CSV export, focal points", "rcps:focalpoint_list", "csv"),
]


class Command(BaseCommand):
    help = "Load-test public pages, feeds, calendars and admin changelists with gunicorn + wrk; print a table."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=5, help="Seconds of load per URL (default 5).")
        parser.add_argument("--connections", type=int, default=16, help="Concurrent connections (default 16).")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2).")
        parser.add_argument("--label", default="", help="Name of this run in the output (e.g. 'postgresql, scale 1').")
        parser.add_argument("--json", dest="json_path", help="Also write the figures to this JSON file.")
        parser.add_argument(
            "--only", default="", help="Only URLs whose label contains this text (several: comma-separated)."
        )
        parser.add_argument("--no-cache", action="store_true", help="Skip the pass with the page cache on.")
        parser.add_argument("--no-exports", action="store_true", help="Skip the export checks.")
        parser.add_argument(
            "--mixed-duration",
            type=int,
            default=0,
            help="Seconds of load of each pass of the mixed scenario (default three times --duration).",
        )
        parser.add_argument(
            "--import-rows",
            type=int,
            default=IMPORT_ROWS,
            help="Rows of the import check (default 10000; 0 skips it). `--only import` runs only this check.",
        )

    def handle(
        self,
        *args,
        duration,
        connections,
        workers,
        label,
        json_path,
        only,
        no_cache,
        no_exports,
        import_rows,
        mixed_duration,
        **options,
    ):
        if settings.ROOT_URLCONF != "bench.urls":
            raise CommandError("Run with DJANGO_SETTINGS_MODULE=bench.settings (make bench does).")
        wanted = [part.strip() for part in only.lower().split(",") if part.strip()]

        def chosen(label):
            return not wanted or any(part in label.lower() for part in wanted)

        load = not wanted or any(part not in ("import", "imports", "export") for part in wanted)
        if load and not shutil.which("wrk"):
            raise CommandError("wrk is not installed: apt-get install wrk (make bench does).")
        cookie = self.admin_session_cookie()
        secretariat = self.secretariat_user(writer_process())
        targets = [("ceiling", "bare Django view, 20 KB", "/__bench__/bare/", None)]
        targets += [(*target, None) for target in public_targets()]
        targets += [(group, name, reverse(url_name), cookie) for group, name, url_name in ADMIN_TARGETS]
        if secretariat:
            start_page = ("start page", "admin: start page (secretariat)", reverse("admin:index"))
            targets.append((*start_page, self.session_cookie(secretariat)))
        targets = [target for target in targets if load and chosen(target[1])]
        mixed = load and chosen("mixed") and not no_cache

        results = []
        # First pass: the page cache off (every request renders); second pass: anonymous public
        # pages served from the page cache, as visitors get them in production.
        for cache in (False, True):
            if cache and no_cache:
                break
            port = free_port()
            clear_page_cache()
            with self.gunicorn(port, workers, cache=cache):
                for group, name, path, cookie_header in targets:
                    if cache and (cookie_header or group == "ceiling" or name in UNCACHED_ONLY):
                        continue  # the admin is never cached; the bare view has nothing to cache
                    result = {
                        "group": "cached" if cache else group,
                        "page": f"{name} (cached)" if cache else name,
                        "path": path,
                        "cached": cache,
                    }
                    result["queries"], result["rows_shown"] = self.count_queries(path, cookie_header, cache=cache)
                    result.update(self.load(port, path, cookie_header, duration, connections))
                    if group in ("feed", "calendar") and not cache:
                        result["conditional_status"] = self.conditional_status(port, path)
                    if group == "search" and not cache:
                        # Latency as a visitor meets it when users are few: one request at a time, no
                        # queue in front of the workers (the run above saturates them), for a query
                        # not ranked since the data last changed (the worst case: nothing cached).
                        result["alone"] = self.fresh_latency(port, path)
                    results.append(result)
                    self.stdout.write(self.format_row(result))
                if cache and mixed:
                    for result in self.mixed_scenario(port, mixed_duration or 3 * duration, connections, secretariat):
                        results.append(result)
                        self.stdout.write(self.format_row(result))
        if import_rows and chosen("import"):
            with tempfile.TemporaryDirectory(prefix="rcp-bench-import-") as folder:
                results += run_import_benchmarks(folder, import_rows, "bench.settings", self.stdout.write)
        for page, url_name, fmt in EXPORT_TARGETS:
            if no_exports or not (chosen(page) or chosen("export")):
                continue
            result = self.measure_export(page, url_name, fmt)
            results.append(result)
            self.stdout.write(
                f"{result['page']}: {result['rows']:,} rows, {result['rows_per_s']:,} rows/s, first row after "
                f"{result['first_row_s'] or 0:.2f} s, all after {result['total_s']:.1f} s, "
                f"peak RSS {result['peak_rss_mb']:.0f} MB"
            )
        meta = {
            "label": label or f"{connection.vendor}",
            "database": connection.vendor,
            "rows": {
                "processes": Process.objects.count(),
                "meetings": Meeting.objects.count(),
                "documents": Document.objects.count(),
                "recommendations": Recommendation.objects.count(),
            },
            "duration_s": duration,
            "connections": connections,
            "workers": workers,
            "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
        if json_path:
            Path(json_path).parent.mkdir(parents=True, exist_ok=True)
            Path(json_path).write_text(json.dumps({"meta": meta, "results": results}, indent=2))
            self.stdout.write(f"Figures written to {json_path}")

    # Load -------------------------------------------------------------------------------

    def gunicorn(self, port, workers, *, cache):
        command = self

        class Server:
            def __enter__(self):
                env = {
                    **os.environ,
                    "DJANGO_SETTINGS_MODULE": "bench.settings",
                    "PAGE_CACHE_ENABLED": "true" if cache else "false",
                    "API_USER_RATE": "100000/minute",
                }
                self.process = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "portal.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        str(workers),
                        "--worker-class",
                        "sync",
                        "--log-level",
                        "warning",
                    ],
                    cwd=settings.BASE_DIR,
                    env=env,
                    start_new_session=True,
                )
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    try:
                        urllib.request.urlopen(f"http://127.0.0.1:{port}/__bench__/bare/", timeout=2)
                        return self
                    except OSError:
                        time.sleep(0.3)
                self.__exit__()
                raise CommandError("gunicorn did not start within 30 s.")

            def __exit__(self, *exc):
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=30)
                command.stdout.write("gunicorn stopped")

        return Server()

    def load(self, port, path, cookie, duration, connections, threads=2, script="report.lua", args=()):
        url = f"http://127.0.0.1:{port}{path}"
        # Warm up: first requests fill per-worker caches (templates, URL resolvers, the page cache).
        for _ in range(4):
            try:
                self.fetch(url, cookie)
            except OSError:
                break  # too slow to warm up: measure it as it is
        command = [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(BENCH_DIR / script),
            url,
        ]
        if args:
            command += ["--", *args]
        if cookie:
            command[1:1] = ["-H", f"Cookie: {cookie}"]
        output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 120).stdout
        figures = json.loads(output.strip().splitlines()[-1])
        figures["rps"] = round(figures["requests"] / (figures["duration_us"] / 1e6), 1)
        return figures

    def fresh_latency(self, port, path, samples=FRESH_SAMPLES):
        """p50 / p95 / p99 of `samples` requests one at a time, each after a write to every type searched.

        The tags a save of one row of each type bumps (its model's, and its rows tag as a new or
        moved row does) make every type's ranked matches stale: each request ranks them all anew,
        as the first search for a text does. The vocabularies, which change rarely, stay cached.
        """
        models = [search_type.model for search_type in SEARCH_TYPES]
        written = [model_tag(model) for model in models] + [rows_tag(model) for model in models]
        url = f"http://127.0.0.1:{port}{path}"
        self.fetch(url, None)  # the worker's templates and URL resolvers, as a running server has them
        times = []
        for _ in range(samples):
            bump(written)
            started = time.perf_counter()
            self.fetch(url, None)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()

        def percentile(share):
            return round(times[min(len(times) - 1, int(share * len(times)))], 1)

        return {
            "rps": round(1000 * len(times) / sum(times), 1),
            "p50_ms": percentile(0.50),
            "p95_ms": percentile(0.95),
            "p99_ms": percentile(0.99),
            "samples": len(times),
        }

    def fetch(self, url, cookie):
        request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()

    def count_queries(self, path, cookie, *, cache=False):
        client = Client()
        if cookie:
            client.cookies[settings.SESSION_COOKIE_NAME] = cookie.split("=", 1)[1]
        with override_settings(PAGE_CACHE_ENABLED=cache):
            client.get(path)  # the first request may fill caches; count a repeat request, as under load
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
        if response.status_code != 200:
            raise CommandError(f"{path} answered {response.status_code}; the benchmark needs 200.")
        return len(queries), rows_shown(response)

    def conditional_status(self, port, path):
        """The status of a repeat request sending the ETag / Last-Modified of the first (304 expected)."""
        url = f"http://127.0.0.1:{port}{path}"
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                etag, modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
            headers = {key: value for key, value in (("If-None-Match", etag), ("If-Modified-Since", modified)) if value}
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code  # 304 arrives as an HTTPError
        except OSError:
            return None  # timed out

    def measure_export(self, page, url_name, fmt):
        """Stream one export in a fresh process, as a visitor's download: time to the first row, total, peak RSS.

        The process first answers one request that reads no data (the same export with a sort
        that does not exist: a 400), as a running server has: the time measured is the export's,
        not the first request's loading of the URLconf, middleware and translations.
        """
        # CSV rows are counted by parsing the CSV (a quoted cell may hold line breaks); JSON rows
        # are one a line.
        script = (
            "import csv, resource, sys, time, django; django.setup()\n"
            "from django.test import Client\n"
            "from django.test.utils import override_settings\n"
            "assert Client().get(sys.argv[1] + '&sort=warm-up').status_code == 400\n"
            "start = time.monotonic(); first = None\n"
            "def lines(response):\n"
            "    global first\n"
            "    pending, count = '', 0\n"
            "    for chunk in response.streaming_content:\n"
            "        *complete, pending = (pending + chunk.decode()).split('\\n')\n"
            "        for line in complete:\n"
            "            count += 1\n"
            "            if count == 2:  # the first data row, after the header: the database has answered\n"
            "                first = time.monotonic() - start\n"
            "            yield line + '\\n'\n"
            "    if pending:\n"
            "        yield pending\n"
            "with override_settings(PAGE_CACHE_ENABLED=False):\n"
            "    response = Client().get(sys.argv[1])\n"
            "    if sys.argv[2] == 'csv':\n"
            "        rows = sum(1 for _ in csv.reader(lines(response))) - 1\n"
            "    else:\n"
            "        rows = sum(1 for line in lines(response) if line.startswith('{'))\n"
            "total = time.monotonic() - start\n"
            "print(first, total, rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
        )
        path = reverse(url_name) + f"?format={fmt}"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        output = subprocess.run(
            [sys.executable, "-c", script, path, fmt], capture_output=True, text=True, env=env, cwd=settings.BASE_DIR
        )
        if output.returncode:
            raise CommandError(f"The export check failed:\n{output.stderr}")
        first, total, lines, peak = output.stdout.split()
        total = float(total)
        return {
            "group": "export",
            "page": page,
            "path": path,
            "rows": int(lines),
            "rows_per_s": round(int(lines) / max(total, 0.001)),
            "first_row_s": None if first == "None" else float(first),
            "total_s": total,
            "peak_rss_mb": float(peak),
        }

    def admin_session_cookie(self):
        user, created = get_user_model().objects.get_or_create(
            username=ADMIN_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_unusable_password()
            user.save()
        return self.session_cookie(user)

    def session_cookie(self, user):
        client = Client()
        client.force_login(user)
        return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    def secretariat_user(self, process):
        """The secretariat of `process` (the one with most public meetings): its start page and the writer's token."""
        if process is None:
            return None
        user, _created = secretariat_user_create(
            username=SECRETARIAT_USERNAME, email="bench-secretariat@example.org", processes=[process]
        )
        return user

    # The mixed scenario ----------------------------------------------------------------------

    def mixed_scenario(self, port, duration, connections, secretariat):
        """wrk over many public URLs with the page cache on: once without writes, once with a write a second."""
        process = writer_process()
        paths = mixed_paths(process)
        editable = dict(
            Meeting.objects.managed_by(secretariat)
            .filter(pk__in=[pk for pk in meeting_ids(DETAIL_PAGES["meetings"], process)])
            .values_list("pk", "title")
            if secretariat
            else []
        )
        token = Token.objects.get_or_create(user=secretariat)[0].key if secretariat else None
        results = []
        with tempfile.NamedTemporaryFile("w", prefix="rcp-bench-paths-", suffix=".txt") as paths_file:
            paths_file.write("\n".join(paths) + "\n")
            paths_file.flush()
            for writes in (False, True):
                if writes and not editable:
                    self.stdout.write("No meeting the bench secretariat may edit: the pass with writes is skipped.")
                    break
                clear_page_cache()
                statuses = self.prime(port, paths)
                writer = MeetingWriter(port, token, editable) if writes else None
                if writer:
                    writer.start()
                try:
                    figures = self.load(
                        port, "/", None, duration, connections, script="mixed.lua", args=[paths_file.name]
                    )
                finally:
                    if writer:
                        writer.stop()
                result = {
                    "group": "mixed",
                    "page": "mixed, one write a second" if writes else "mixed, no writes",
                    "path": f"{len(paths)} public URLs",
                    "cached": True,
                    "urls": len(paths),
                    "queries": 0,
                    "rows_shown": None,
                    "priming_statuses": statuses,
                    **figures,
                }
                if writer:
                    result.update(writer.report())
                    result["fresh_after_write"] = writer.change_shows(port)
                    writer.restore()
                results.append(result)
        return results

    def prime(self, port, paths):
        """Request every path once (the page cache fills as after a while of visits); {status: count}."""
        statuses = {}

        def status(path):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
                    response.read()
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code
            except OSError:
                return 0

        with ThreadPoolExecutor(max_workers=4) as pool:
            for code in pool.map(status, paths):
                statuses[str(code)] = statuses.get(str(code), 0) + 1
        return statuses

    def format_row(self, result):
        return (
            f"{result['page'][:34]:<34} {result['rps']:>8.1f} req/s  p50 {result['p50_ms']:>7.1f} ms  "
            f"p95 {result['p95_ms']:>7.1f} ms  p99 {result['p99_ms']:>7.1f} ms  {result['queries']:>3} queries"
            + (f"  {result['rows_shown']:>3} rows" if result.get("rows_shown") is not None else "")
            + (f"  {result['errors']} errors" if result["errors"] else "")
            + (
                f"\n{'':<34} one at a time after a write: p50 {alone['p50_ms']:.0f} ms, p95 {alone['p95_ms']:.0f} ms"
                if (alone := result.get("alone"))
                else ""
            )
        )
