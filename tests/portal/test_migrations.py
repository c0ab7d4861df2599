"""The models and the committed migrations agree, and migrations depend the way imports do."""

import importlib
import tomllib
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def layers():
    """The app layers of the import contract, top first, each a set of sibling apps."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contract = config["tool"]["importlinter"]["contracts"][0]
    return [{name.strip() for name in layer.split("|")} for layer in contract["layers"]]


def disk_migrations():
    """{(app, name): Migration} read from the migration files (the test run itself builds tables without them)."""
    found = {}
    for app in {app for layer in layers() for app in layer}:
        for path in sorted((ROOT / app / "migrations").glob("[0-9]*.py")):
            module = importlib.import_module(f"{app}.migrations.{path.stem}")
            found[(app, path.stem)] = module.Migration
    return found


def test_migrations_depend_only_on_apps_below_their_own():
    """Migrations follow the imports' direction: an app's migrations never depend on an app above it."""
    depth = {app: index for index, layer in enumerate(layers()) for app in layer}
    back_edges = [
        (key, dependency)
        for key, migration in disk_migrations().items()
        for dependency in migration.dependencies
        if dependency[0] in depth and dependency[0] != key[0] and depth[dependency[0]] <= depth[key[0]]
    ]
    assert back_edges == []


def test_every_app_has_one_linear_migration_history_from_its_initial_one():
    """Each app starts from its 0001_initial; later changes are numbered migrations, each after the one before."""
    migrations = disk_migrations()
    apps = sorted({app for app, _name in migrations})
    assert apps == sorted(
        ["exchange", "meetings", "members", "practices", "rcps", "recommendations", "reference", "surveys"]
    )
    for app in apps:
        names = sorted(name for other, name in migrations if other == app)
        assert names[0] == "0001_initial"
        numbers = [int(name[:4]) for name in names]
        assert numbers == list(range(1, len(names) + 1)), app
        for previous, name in zip(names, names[1:], strict=False):
            assert (app, previous) in migrations[(app, name)].dependencies, (app, name)
