"""Backups restore: back up a database with history, links and uploaded files, restore it into a fresh
database, and find every table's rows and every file identical."""

import filecmp
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Records of every kind a backup must carry: history of adds, changes and a deletion, a meeting's
# organizers and their history, an uploaded file, a user, a session-free database otherwise.
MAKE_DATA = """
import datetime
from django.core.files.base import ContentFile
from django.contrib.auth.models import User
from meetings.models import Document, Meeting
from rcps.models import Process
from reference.models import Country
user = User.objects.create_user("secretariat", "s@example.org", "a-long-test-password-123")
colombo = Process.objects.create(slug="colombo-process", name="Colombo Process", acronym="CP", kind="rcp")
bali = Process.objects.create(slug="bali-process", name="Bali Process", acronym="BP", kind="rcp")
country = Country.objects.create(code="LK", alpha3="LKA", name="Sri Lanka")
meeting = Meeting.objects.create(title="Colombo SOM", start_date=datetime.date(2024, 11, 5), country=country,
                                 description="Line one\\nline two — ශ්‍රී ලංකාව")
meeting.organizing_processes.set([colombo, bali])
meeting.title = "Colombo SOM (changed)"
meeting.save()
gone = Meeting.objects.create(title="Cancelled", start_date=datetime.date(2025, 1, 1))
gone.organizing_processes.set([bali])
gone.delete()
document = Document(title="Declaration", meeting=meeting)
document.file.save("declaration.pdf", ContentFile(b"%PDF-1.7 declaration"), save=True)
"""


def env_for(url, media):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "DEBUG": "true",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(media),
        "PAGE_CACHE_ENABLED": "false",
    }


def manage(url, media, *arguments):
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env_for(url, media), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def postgres_url(name):
    db = settings.DATABASES["default"]
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def vendor():
    return settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]


def run_sql(statement):
    """CREATE / DROP DATABASE on the PostgreSQL server of the tests (outside any transaction)."""
    import psycopg

    with psycopg.connect(postgres_url("postgres").replace("postgres://", "postgresql://"), autocommit=True) as db:
        db.execute(statement)


@pytest.fixture(scope="module")
def fresh_database(tmp_path_factory):
    """Make an empty database of the vendor under test: a new SQLite file, or a new PostgreSQL database."""
    made = []
    folder = tmp_path_factory.mktemp("databases")

    def make(label):
        if vendor() != "postgresql":
            return f"sqlite:///{folder / f'{label}.sqlite3'}"
        name = f"{settings.DATABASES['default']['NAME']}_{label}_{uuid.uuid4().hex[:6]}"
        run_sql(f'CREATE DATABASE "{name}"')
        made.append(name)
        return postgres_url(name)

    yield make
    for name in made:
        run_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


METHODS = ["portable", "pg_dump"]


@pytest.fixture(scope="module")
def source(fresh_database, tmp_path_factory):
    """A migrated database with history, links, a deletion and an uploaded file, backed up by each method."""
    folder = tmp_path_factory.mktemp("source")
    url, media = fresh_database("backup_source"), folder / "media"
    manage(url, media, "migrate", "--no-input", "-v0")
    manage(url, media, "shell", "-c", MAKE_DATA)
    archives = {}
    for method in METHODS if vendor() == "postgresql" else METHODS[:1]:
        archives[method] = folder / f"{method}.tar"
        assert "uploaded files" in manage(url, media, "backup", "--method", method, "--output", str(archives[method]))
    return url, media, archives


def all_rows(url):
    """{table: every row in order} for every table of a database, read with the database's own driver."""
    tables = {}
    if url.startswith("sqlite:"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            for name in names:
                if name.startswith("sqlite_"):
                    continue
                tables[name] = db.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall()
        return tables
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as db:
        names = [
            r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        ]
        for name in names:
            tables[name] = [tuple(map(str, row)) for row in db.execute(f'SELECT * FROM "{name}" ORDER BY 1')]
    return tables


@pytest.mark.parametrize("method", METHODS)
def test_a_backup_restores_into_a_fresh_database_with_every_row_and_file_identical(
    source, fresh_database, tmp_path, method
):
    url, source_media, archives = source
    if method not in archives:
        pytest.skip("pg_dump backs up PostgreSQL; the portable method is tested on this database")
    archive = archives[method]
    with tarfile.open(archive) as tar:
        pdf = next(source_media.rglob("*.pdf")).relative_to(source_media)
        assert {"manifest.json", f"media/{pdf}"} <= set(tar.getnames())

    target, target_media = fresh_database(f"backup_{method}"), tmp_path / "media-target"
    out = manage(target, target_media, "restore", str(archive))
    assert "every table and file is identical to the backup" in out

    before, after = all_rows(url), all_rows(target)
    assert set(before) == set(after)
    for table in before:
        assert before[table] == after[table], table
    # Each meeting: added, organizers set, then changed (the first) or deleted (the second).
    assert len(before["meetings_historicalmeeting"]) == 6
    assert before["meetings_historicalmeeting_organizing_processes"]
    files = sorted(p.relative_to(source_media) for p in source_media.rglob("*") if p.is_file())
    assert files and files == sorted(p.relative_to(target_media) for p in target_media.rglob("*") if p.is_file())
    assert all(filecmp.cmp(source_media / f, target_media / f, shallow=False) for f in files)


def test_a_restore_refuses_a_database_that_holds_data(source, tmp_path):
    url, _media, archives = source
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archives["portable"])],
        cwd=ROOT,
        env=env_for(url, tmp_path / "empty-media"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "already holds data" in result.stderr
    assert "Traceback" not in result.stderr
