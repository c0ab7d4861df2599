"""Back up the database and the uploaded files together, and restore them into an empty database.

One archive (`.tar`) holds:

- `manifest.json`: when, which method, the migrations applied, and for every table (every
  model, the change history, the many-to-many links and their history) its row count and a
  SHA-256 of its rows in primary-key order; for every uploaded file its size and SHA-256;
- the database: `database.pgdump` (`pg_dump --format=custom`, PostgreSQL's own, the default
  there) or `database.jsonl.gz` (Django's serializers, any database: "portable", the default
  on SQLite, and the way to move between SQLite and PostgreSQL);
- `media/…`: every file under MEDIA_ROOT.

`restore_archive` refuses a database or a media folder that already holds data, restores
both, and then checks every table and every file against the manifest: a restore either
reproduces the backup exactly or says which table or file differs. The portable form loads
with Django's own `loaddata` (times kept to the microsecond by `core.serialization`; the
many-to-many tables are written as their own rows so their ids survive too).
"""

import datetime
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from core.serialization import ExactJSONEncoder

FORMAT = "rcp-portal-backup"
FORMAT_VERSION = 1
PG_DUMP_FILE = "database.pgdump"
PORTABLE_FILE = "database.jsonl.gz"
# Tables that `migrate` fills by itself in a new database; a database holding only these is empty.
MIGRATE_FILLS = {"contenttypes.ContentType", "auth.Permission", "auth.Group", "auth.Group_permissions"}


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why and what to do."""


# What is in a database ------------------------------------------------------------------------


def data_models():
    """Every model with a table of its own: the apps' models, their history, and many-to-many tables."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        found.append(model)
    return sorted(found, key=lambda m: m._meta.label)


def _stored_fields(model):
    return [f for f in model._meta.concrete_fields if not isinstance(f, models.GeneratedField)]


def _canonical(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, float | int | bool) or value is None:
        return value
    return str(value)


def table_digests(using="default"):
    """{model label: {"rows": n, "sha256": hex}} over every stored column, rows in primary-key order."""
    digests = {}
    for model in data_models():
        names = [f.attname for f in _stored_fields(model)]
        digest = hashlib.sha256()
        count = 0
        rows = model._base_manager.using(using).order_by("pk").values_list(*names)
        for row in rows.iterator(chunk_size=2000):
            digest.update(json.dumps([_canonical(v) for v in row], ensure_ascii=False).encode())
            digest.update(b"\n")
            count += 1
        digests[model._meta.label] = {"rows": count, "sha256": digest.hexdigest()}
    return digests


def media_files(root=None):
    """{relative path: {"size": n, "sha256": hex}} for every file under MEDIA_ROOT."""
    root = Path(root or settings.MEDIA_ROOT)
    files = {}
    if not root.exists():
        return files
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
        files[path.relative_to(root).as_posix()] = {"size": path.stat().st_size, "sha256": digest.hexdigest()}
    return files


def applied_migrations():
    recorder = MigrationRecorder(connection)
    return [[row.id, row.app, row.name, row.applied.isoformat()] for row in recorder.migration_qs.order_by("id")]


def rows_that_matter(using="default"):
    """How many rows the database holds beyond what `migrate` writes itself (0: it is empty)."""
    tables = set(connection.introspection.table_names())
    total = 0
    for model in data_models():
        if model._meta.label in MIGRATE_FILLS or model._meta.db_table not in tables:
            continue
        total += model._base_manager.using(using).count()
    return total


# pg_dump / pg_restore ----------------------------------------------------------------------


def _pg_arguments():
    """libpq connection arguments and environment for the default database (password via PGPASSWORD)."""
    db = settings.DATABASES["default"]
    arguments = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        arguments += ["--host", db["HOST"]]
    if db.get("PORT"):
        arguments += ["--port", str(db["PORT"])]
    if db.get("USER"):
        arguments += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return arguments, env


def _run(command, env):
    if not shutil.which(command[0]):
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


# Backup -----------------------------------------------------------------------------------


def default_method():
    return "pg_dump" if connection.vendor == "postgresql" else "portable"


def create_backup(output, *, method=None, log=print):
    """Write one archive with the database and the uploaded files; return its manifest."""
    method = method or default_method()
    if method == "pg_dump" and connection.vendor != "postgresql":
        raise BackupError("pg_dump backs up PostgreSQL only; use --method portable on this database.")
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rcp-backup-") as folder:
        folder = Path(folder)
        # One consistent view of the database for the digests and the dump.
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            digests = table_digests()
            migrations = applied_migrations()
            if method == "portable":
                dump_portable(folder / PORTABLE_FILE)
        if method == "pg_dump":
            arguments, env = _pg_arguments()
            dump = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(folder / PG_DUMP_FILE)]
            _run([*dump, *arguments], env)
        files = media_files()
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created": datetime.datetime.now(datetime.UTC).isoformat(),
            "method": method,
            "vendor": connection.vendor,
            "migrations": migrations,
            "tables": digests,
            "files": files,
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            database = PG_DUMP_FILE if method == "pg_dump" else PORTABLE_FILE
            archive.add(folder / database, arcname=database)
            root = Path(settings.MEDIA_ROOT)
            for name in files:
                archive.add(root / name, arcname=f"media/{name}", recursive=False)
        partial.replace(output)
    rows = sum(table["rows"] for table in digests.values())
    log(f"Backed up {rows} rows in {len(digests)} tables ({method}) and {len(files)} uploaded files to {output}.")
    return manifest


def dump_portable(path):
    """Every table as JSON Lines through Django's serializers; many-to-many tables as rows of their own."""
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        for model in data_models():
            names = [f.name for f in _stored_fields(model) if not f.primary_key]
            queryset = model._base_manager.order_by("pk")
            serializers.serialize(
                "jsonl", queryset.iterator(chunk_size=2000), stream=stream, fields=names, cls=ExactJSONEncoder
            )


# Restore ----------------------------------------------------------------------------------


def read_manifest(archive):
    try:
        member = archive.getmember("manifest.json")
    except KeyError:
        raise BackupError("This is not a backup of the RCP Portal (no manifest.json).") from None
    manifest = json.load(archive.extractfile(member))
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BackupError("This backup was written in a format this version cannot read.")
    return manifest


def restore_archive(path, *, log=print):
    """Restore an archive into an empty database and an empty media folder, then verify both."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No such backup: {path}")
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists() and any(p.is_file() for p in media_root.rglob("*")):
        raise BackupError(f"{media_root} already holds files: restore into an empty media folder.")
    with tarfile.open(path, "r") as archive, tempfile.TemporaryDirectory(prefix="rcp-restore-") as folder:
        manifest = read_manifest(archive)
        known = {(app, name) for _id, app, name, _applied in manifest["migrations"]}
        loader_graph = MigrationExecutor(connection).loader.graph
        unknown = sorted(f"{app}.{name}" for app, name in known if (app, name) not in loader_graph.nodes)
        if unknown:
            raise BackupError(
                f"The backup has migrations this code does not know ({', '.join(unknown[:5])}): "
                "restore it with the version of the portal it came from."
            )
        tables = set(connection.introspection.table_names())
        if tables and rows_that_matter():
            raise BackupError(
                "The database already holds data: restore into an empty database "
                "(PostgreSQL: dropdb and createdb; SQLite: a new file)."
            )
        folder = Path(folder)
        if manifest["method"] == "pg_dump":
            if connection.vendor != "postgresql":
                raise BackupError("This backup was made with pg_dump: restore it into PostgreSQL.")
            archive.extract(PG_DUMP_FILE, folder, filter="data")
            restore_pg_dump(folder / PG_DUMP_FILE, clean=bool(tables))
        else:
            archive.extract(PORTABLE_FILE, folder, filter="data")
            restore_portable(folder / PORTABLE_FILE, manifest)
        media_root.mkdir(parents=True, exist_ok=True)
        for member in archive.getmembers():
            if member.isfile() and member.name.startswith("media/"):
                target = (media_root / member.name.removeprefix("media/")).resolve()
                if not target.is_relative_to(media_root.resolve()):
                    raise BackupError(f"The backup names a file outside the media folder: {member.name}")
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as source, target.open("wb") as destination:
                    shutil.copyfileobj(source, destination)
    connection.close()  # a new connection sees the restored schema and sequences
    differences = verify(manifest)
    if differences:
        raise BackupError("The restore does not match the backup: " + "; ".join(differences[:10]))
    rows = sum(table["rows"] for table in manifest["tables"].values())
    log(
        f"Restored {rows} rows in {len(manifest['tables'])} tables and {len(manifest['files'])} files; "
        "every table and file is identical to the backup."
    )
    pending = MigrationExecutor(connection).migration_plan(MigrationExecutor(connection).loader.graph.leaf_nodes())
    if pending:
        call_command("migrate", verbosity=0)
        log(f"Applied {len(pending)} newer migrations after the restore.")
    return manifest


def restore_pg_dump(path, *, clean):
    arguments, env = _pg_arguments()
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if clean:  # tables made by `migrate` with no data in them: replaced by the backup's
        command += ["--clean", "--if-exists"]
    _run([*command, *arguments, str(path)], env)


def restore_portable(path, manifest):
    """Schema at the backup's migrations, emptied, then `loaddata` of every row and the migration records."""
    targets = {}
    for _id, app, name, _applied in manifest["migrations"]:
        targets[app] = name  # the last applied of each app, in the order they were applied
    executor = MigrationExecutor(connection)
    plan_targets = [(app, name) for app, name in targets.items() if (app, name) in executor.loader.graph.nodes]
    executor.migrate(plan_targets)
    # What `migrate` wrote by itself (content types, permissions, roles) gives way to the backup's rows.
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    call_command("loaddata", str(path), verbosity=0)
    recorder = MigrationRecorder(connection)
    with transaction.atomic():
        recorder.migration_qs.all().delete()
        Migration = recorder.Migration
        Migration.objects.bulk_create(
            Migration(id=pk, app=app, name=name, applied=datetime.datetime.fromisoformat(applied))
            for pk, app, name, applied in manifest["migrations"]
        )
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Migration, *data_models()]):
                cursor.execute(statement)


def verify(manifest):
    """What differs between the database and media folder now and the manifest of a backup."""
    differences = []
    current = table_digests()
    for label, expected in manifest["tables"].items():
        found = current.get(label)
        if found is None:
            differences.append(f"table {label} is missing")
        elif found != expected:
            differences.append(f"table {label}: {found['rows']} rows, expected {expected['rows']} (or other values)")
    files = media_files()
    for name, expected in manifest["files"].items():
        if files.get(name) != expected:
            differences.append(f"file {name} differs or is missing")
    return differences
