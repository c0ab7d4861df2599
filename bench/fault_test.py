"""Faults survived: 60 s of mixed load while PostgreSQL restarts; no acknowledged write may be lost.

`make fault-test` runs this on one machine, on loopback only, bounded in time:

1. a throwaway PostgreSQL cluster (pg_createcluster) on a free port, the fixtures loaded, a
   secretariat user with an API token;
2. gunicorn (production settings on plain http, `bench.settings`) against that cluster;
3. for FAULT_DURATION seconds (60): wrk with 32 connections over the public pages (a random
   one of many real URLs per request) and, beside it, four writers that each create a meeting
   through the API as fast as answers come (at most five a second), noting every acknowledged
   (201) write;
4. PostgreSQL restarted (`pg_ctlcluster … restart -m fast`) at FAULT_RESTART_AT seconds (20);
5. afterwards: the site must answer a fresh page and an API write without being restarted,
   and every acknowledged meeting must be in the database.

It prints requests served, answers by status, the 5xx count and the seconds they fell in,
writes acknowledged, writes found afterwards, and exits 1 if an acknowledged write is
missing or the site did not recover by itself. The cluster is dropped at the end.

Settings by environment: FAULT_DURATION (60), FAULT_RESTART_AT (20), FAULT_CONNECTIONS (32),
FAULT_WORKERS (2), FAULT_WRITERS (4), FAULT_CLUSTER (rcp_fault), FAULT_PG_PORT (first free from 5433),
FAULT_PG_VERSION (the installed one).
"""

import json
import os
import random
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DURATION = int(os.environ.get("FAULT_DURATION", "60"))
RESTART_AT = int(os.environ.get("FAULT_RESTART_AT", "20"))
CONNECTIONS = int(os.environ.get("FAULT_CONNECTIONS", "32"))
WORKERS = int(os.environ.get("FAULT_WORKERS", "2"))
CLUSTER = os.environ.get("FAULT_CLUSTER", "rcp_fault")
WRITE_INTERVAL = 0.2
# Writers in parallel: each waits its turn behind the page load, so one alone writes little.
WRITERS = int(os.environ.get("FAULT_WRITERS", "4"))

LUA = r"""
-- A random path of many real ones per request; answers counted by status, 5xx by second.
-- Globals, so that done() can read each thread's with thread:get().
paths = {}
counts = {s2 = 0, s3 = 0, s4 = 0, s5 = 0}
first5, last5 = 0, 0
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000)
end
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
response = function(status, headers, body)
  if status >= 500 then
    counts.s5 = counts.s5 + 1
    local now = os.time()
    if first5 == 0 then first5 = now end
    last5 = now
  elseif status >= 400 then counts.s4 = counts.s4 + 1
  elseif status >= 300 then counts.s3 = counts.s3 + 1
  else counts.s2 = counts.s2 + 1 end
end
local threads = {}
setup = function(thread) threads[#threads + 1] = thread end
done = function(summary, latency, requests)
  local total = {s2 = 0, s3 = 0, s4 = 0, s5 = 0}
  local f5, l5 = 0, 0
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for k, v in pairs(c) do total[k] = total[k] + v end
    local tf, tl = thread:get("first5"), thread:get("last5")
    if tf > 0 and (f5 == 0 or tf < f5) then f5 = tf end
    if tl > l5 then l5 = tl end
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "s2": %d, "s3": %d, "s4": %d, "s5": %d, "first5": %d, "last5": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, "p50_ms": %.1f, "p99_ms": %.1f}\n',
    summary.requests, summary.duration, total.s2, total.s3, total.s4, total.s5, f5, l5,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(command, **kwargs):
    kwargs.setdefault("check", True)
    return subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)


def free_port(start=5433, end=5500):
    wanted = os.environ.get("FAULT_PG_PORT")
    candidates = [int(wanted)] if wanted else range(start, end)
    for port in candidates:
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a port left in TIME_WAIT is free
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit("No free port for the throwaway PostgreSQL cluster.")


def pg_version():
    if os.environ.get("FAULT_PG_VERSION"):
        return os.environ["FAULT_PG_VERSION"]
    versions = sorted(p.name for p in Path("/usr/lib/postgresql").iterdir() if (p / "bin" / "postgres").exists())
    if not versions:
        raise SystemExit("PostgreSQL server binaries are not installed (apt-get install postgresql).")
    return versions[-1]


class Cluster:
    """A throwaway PostgreSQL cluster on loopback, trusted for 127.0.0.1, dropped at the end."""

    def __init__(self):
        self.version, self.port = pg_version(), free_port()

    def ctl(self, action, *extra):
        return run(["pg_ctlcluster", "--skip-systemctl-redirect", self.version, CLUSTER, action, *extra])

    def __enter__(self):
        clusters = [line.split() for line in run(["pg_lsclusters", "-h"]).stdout.splitlines()]
        if any(parts[:2] == [self.version, CLUSTER] for parts in clusters):
            raise SystemExit(f"A cluster named {CLUSTER} exists already; set FAULT_CLUSTER to another name.")
        run(["pg_createcluster", self.version, CLUSTER, "--port", str(self.port), "--", "--auth-local=trust"])
        hba = Path(f"/etc/postgresql/{self.version}/{CLUSTER}/pg_hba.conf")
        hba.write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
        conf = Path(f"/etc/postgresql/{self.version}/{CLUSTER}/postgresql.conf")
        conf.write_text(conf.read_text() + "\nlisten_addresses = '127.0.0.1'\nmax_connections = 100\n")
        self.ctl("start")
        log(f"PostgreSQL {self.version} cluster {CLUSTER} on 127.0.0.1:{self.port}")
        return self

    def url(self, name="rcp_fault"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def __exit__(self, *exc):
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, CLUSTER, "stop", "-m", "immediate"],
            capture_output=True,
            timeout=60,
        )
        subprocess.run(["pg_dropcluster", self.version, CLUSTER], capture_output=True, timeout=60)
        log(f"cluster {CLUSTER} dropped")


def manage(env, *arguments):
    return run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=env)


def prepare(env):
    run(["psql", env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres", "-qc", "CREATE DATABASE rcp_fault"])
    manage(env, "migrate", "--no-input", "-v0")
    fixtures = sorted(str(p) for p in (ROOT / "fixtures").glob("*.json"))
    manage(env, "loaddata", "-v0", *fixtures)
    script = (
        "from django.contrib.auth.models import User\n"
        "from rcps.models import Process, SecretariatAssignment\n"
        "from rest_framework.authtoken.models import Token\n"
        "user = User.objects.create_user('fault-writer')\n"
        "SecretariatAssignment.objects.create(user=user, process=Process.objects.get(slug='colombo-process'))\n"
        "print('TOKEN', Token.objects.create(user=user).key)\n"
        "from django.urls import reverse\n"
        "from meetings.models import Document, Meeting\n"
        "from rcps.models import Process\n"
        "from recommendations.models import Recommendation\n"
        "from reference.models import Country\n"
        "paths = ['/', '/processes/', '/meetings/', '/documents/', '/recommendations/', '/countries/', "
        "'/exchange/', '/meetings/?kind=ministerial', '/search/?q=labour+migration', '/meetings/calendar.ics']\n"
        "for model in (Process, Meeting, Document, Recommendation):\n"
        "    paths += [o.get_absolute_url() for o in model.objects.public()[:200]]\n"
        "countries = Country.objects.filter(participations__isnull=False).distinct()[:100]\n"
        "paths += [c.get_absolute_url() for c in countries]\n"
        "print('\\n'.join('PATH ' + path for path in paths))\n"
    )
    output = manage(env, "shell", "-c", script).stdout.splitlines()
    token = next(line.split()[1] for line in output if line.startswith("TOKEN "))
    return token, [line.split(" ", 1)[1] for line in output if line.startswith("PATH ")]


class Server:
    def __init__(self, env, port):
        self.env, self.port = env, port

    def __enter__(self):
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", str(WORKERS),
             "--timeout", "30", "--log-level", "warning"],
            cwd=ROOT, env=self.env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=5).read()
                log(f"gunicorn ({WORKERS} workers) on 127.0.0.1:{self.port}")
                return self
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        raise SystemExit("gunicorn did not start within 60 s.")

    def __exit__(self, *exc):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)


class Writer(threading.Thread):
    """Creates a meeting through the API every WRITE_INTERVAL seconds until `deadline`; notes each 201."""

    def __init__(self, port, token, deadline, start, prefix=0):
        super().__init__(daemon=True)
        self.prefix = prefix
        self.url = f"http://127.0.0.1:{port}/api/v1/meetings/"
        self.token, self.deadline, self.start_time = token, deadline, start
        self.acknowledged, self.failed, self.fail_seconds, self.reasons = [], 0, [], {}

    @classmethod
    def merge(cls, writers):
        merged = cls(0, "", 0, 0)
        for writer in writers:
            merged.acknowledged += writer.acknowledged
            merged.failed += writer.failed
            merged.fail_seconds += writer.fail_seconds
            for reason, count in writer.reasons.items():
                merged.reasons[reason] = merged.reasons.get(reason, 0) + count
        return merged

    def post(self, title):
        body = json.dumps(
            {
                "title": title,
                "kind": "technical",
                "organizing_processes": ["colombo-process"],
                "start_date": "2031-03-04",
            }
        ).encode()
        request = urllib.request.Request(
            self.url, data=body, method="POST",
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")

    def run(self):
        number = 0
        while time.monotonic() < self.deadline:
            number += 1
            title = f"Fault test write {self.prefix}-{number:05d} {random.randrange(10**9):09d}"
            try:
                status, data = self.post(title)
                if status == 201:
                    self.acknowledged.append((title, data.get("id")))
                else:
                    self.failed += 1
            except (urllib.error.URLError, OSError, ValueError) as error:
                self.failed += 1
                self.fail_seconds.append(int(time.monotonic() - self.start_time))
                reason = str(getattr(error, "code", "") or getattr(error, "reason", "") or error)[:60]
                self.reasons[reason] = self.reasons.get(reason, 0) + 1
            time.sleep(WRITE_INTERVAL)


def recovered(port, token):
    """A fresh page (not cached) and an API write both succeed within 20 s, without restarting anything."""
    writer = Writer(port, token, 0, time.monotonic())
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            page = urllib.request.urlopen(f"http://127.0.0.1:{port}/meetings/?recovery={time.time_ns()}", timeout=10)
            status, data = writer.post(f"Fault test recovery {time.time_ns()}")
            if page.status == 200 and status == 201:
                return True, data.get("id")
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(1)
    return False, None


def main():
    for tool in ("wrk", "pg_createcluster", "pg_ctlcluster", "psql"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is not installed (apt-get install wrk postgresql).")
    with Cluster() as cluster, tempfile.TemporaryDirectory(prefix="rcp-fault-") as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": cluster.url(),
            "MEDIA_ROOT": str(Path(folder) / "media"),
            "API_USER_RATE": "100000/minute",
            "API_ANON_RATE": "100000/minute",
            "REDIS_URL": "",
        }
        token, paths = prepare(env)
        (Path(folder) / "paths.txt").write_text("\n".join(paths) + "\n")
        (Path(folder) / "load.lua").write_text(LUA)
        log(f"fixtures loaded; {len(paths)} public URLs to load")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        with Server(env, port):
            start = time.monotonic()
            wall_start = int(time.time())
            load = subprocess.Popen(
                ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--timeout", "10s", "-s",
                 str(Path(folder) / "load.lua"), f"http://127.0.0.1:{port}", "--", str(Path(folder) / "paths.txt")],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            writers = [Writer(port, token, start + DURATION, start, prefix=n) for n in range(WRITERS)]
            for writer in writers:
                writer.start()
            time.sleep(max(0, start + RESTART_AT - time.monotonic()))
            log(f"restarting PostgreSQL at {time.monotonic() - start:.0f} s (pg_ctlcluster restart -m fast)")
            began = time.monotonic()
            cluster.ctl("restart", "-m", "fast")
            log(f"PostgreSQL back after {time.monotonic() - began:.1f} s")
            output, errors = load.communicate(timeout=DURATION + 120)
            for writer in writers:
                writer.join(timeout=30)
            writer = Writer.merge(writers)
            log("load finished")
            ok_recovery, recovery_id = recovered(port, token)
        lines = [line for line in output.splitlines() if line.startswith("{")]
        figures = json.loads(lines[-1]) if lines else {}
        if not figures:
            log(f"wrk said: {(output + errors)[-1500:]}")
        titles = [title for title, _id in writer.acknowledged]
        found = count_found(cluster.url(), titles)
        missing = [title for title in titles if title not in found]
        report(figures, writer, found, missing, ok_recovery, wall_start, start)
        return 0 if not missing and ok_recovery and figures else 1


def count_found(url, titles):
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as db:
        rows = db.execute("SELECT title FROM meetings_meeting WHERE title = ANY(%s)", [titles]).fetchall()
    return {row[0] for row in rows}


def report(figures, writer, found, missing, ok_recovery, wall_start, start):
    print()
    print("== Fault test: PostgreSQL restarted under load ==")
    if figures:
        seconds = figures["duration_us"] / 1e6
        print(f"load                   {CONNECTIONS} connections on public pages for {seconds:.0f} s, "
              f"PostgreSQL restarted at {RESTART_AT} s")  # fmt: skip
        print(f"requests served        {figures['requests']:,} ({figures['requests'] / seconds:,.0f}/s; "
              f"p50 {figures['p50_ms']:.0f} ms, p99 {figures['p99_ms']:.0f} ms)")  # fmt: skip
        print(f"answers                2xx {figures['s2']:,}, 3xx {figures['s3']:,}, 4xx {figures['s4']:,}, "
              f"5xx {figures['s5']:,}")  # fmt: skip
        if figures["s5"]:
            window = f"from {figures['first5'] - wall_start} s to {figures['last5'] - wall_start} s"
            print(f"5xx window             {window} (of {DURATION} s)")
        else:
            print("5xx window             none")
        print(f"socket errors          connect {figures['connect_errors']}, read {figures['read_errors']}, "
              f"write {figures['write_errors']}, timeouts {figures['timeouts']}")  # fmt: skip
    else:
        print("requests served        wrk reported nothing")
    fails = sorted(set(writer.fail_seconds))
    print(f"API writes             {len(writer.acknowledged) + writer.failed} attempted, "
          f"{len(writer.acknowledged)} acknowledged (201), {writer.failed} refused or failed"
          + (f" (at {fails[0]}–{fails[-1]} s: {writer.reasons})" if fails else ""))  # fmt: skip
    print(f"writes found after     {len(found)} of {len(writer.acknowledged)} acknowledged")
    if missing:
        print(f"MISSING                {len(missing)}: {', '.join(missing[:10])}")
    print(f"recovered by itself    {'yes' if ok_recovery else 'NO'} (a fresh page and an API write after the load)")
    verdict = "PASS" if not missing and ok_recovery and figures else "FAIL"
    print(f"verdict                {verdict}: {len(missing)} acknowledged writes lost")


if __name__ == "__main__":
    sys.exit(main())
