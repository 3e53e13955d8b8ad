"""Back up and restore the whole system: the database (pg_dump/pg_restore on PostgreSQL, SQLite's online
backup otherwise) and the stored files (attachments and generated documents under MEDIA_ROOT), with a
manifest of every table's row count and every file's SHA-256, so that a restore proves it is complete.

A backup is a folder:
    manifest.json     when, from which database engine, row counts per table, files with their hashes
    db.dump           PostgreSQL custom-format dump (pg_dump -Fc), or db.sqlite3
    media.tar         the files under MEDIA_ROOT that the copied rows point to

Which role: `manage.py backup` connects with DATABASE_URL (the application role reads every table, which is
all pg_dump needs); `manage.py restore` with DATABASE_MIGRATE_URL (config.bootstrap.OWNER_COMMANDS), as the
restored tables must belong to the owner, who then grants the application role its privileges.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.db_roles import AppRoleError, grant_app_role
from core.storage import referenced_media

MANIFEST = "manifest.json"
PG_DUMP, SQLITE_COPY, MEDIA_TAR = "db.dump", "db.sqlite3", "media.tar"


class BackupError(Exception):
    """Said to the operator in one line; nothing was changed."""


@dataclass(frozen=True)
class Verification:
    tables: dict[str, int]
    files: int
    mismatches: list[str]

    @property
    def ok(self) -> bool:
        return not self.mismatches


def row_counts() -> dict[str, int]:
    """Rows per table of every installed model (viewflow's, Django's and ours)."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        counts[model._meta.db_table] = model._base_manager.using("default").count()
    return dict(sorted(counts.items()))


def media_files() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _pg_environment() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ}
    for key, value in (
        ("PGHOST", db.get("HOST")),
        ("PGPORT", str(db.get("PORT") or "")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGDATABASE", db.get("NAME")),
    ):
        if value:
            env[key] = value
    return env


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, env=_pg_environment(), timeout=3600)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL client tools)") from None
    except subprocess.CalledProcessError as exc:
        raise BackupError(
            f"{command[0]} failed: {exc.stderr.decode(errors='replace').strip()[-500:]}"
        ) from None


def _table_counts(query) -> dict[str, int]:
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        table = model._meta.db_table
        counts[table] = query(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")[0][0]  # noqa: S608
    return dict(sorted(counts.items()))


def _dump_postgresql(destination: Path) -> tuple[dict[str, int], set[str]]:
    """pg_dump from a snapshot this function exports and holds open, and the row counts and file names
    read inside that same snapshot: the manifest describes exactly the dump, whatever commits meanwhile."""
    connection.ensure_connection()
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False

        def query(sql):
            with raw.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall()

        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = query("SELECT pg_export_snapshot()")[0][0]
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                "--file",
                str(destination / PG_DUMP),
            ]
        )
        counts, names = _table_counts(query), referenced_media(query)
        raw.rollback()
    finally:
        raw.close()
    return counts, names


def _copy_sqlite(destination: Path) -> tuple[dict[str, int], set[str]]:
    """SQLite's online backup is one consistent copy; the counts and names are read from the copy."""
    target = sqlite3.connect(destination / SQLITE_COPY)
    try:
        connection.ensure_connection()
        with target:
            connection.connection.backup(target)

        def query(sql):
            return target.execute(sql).fetchall()

        return _table_counts(query), referenced_media(query)
    finally:
        target.close()


def backup(destination: Path) -> dict:
    """Write a backup into `destination`, a new or empty folder. The database copy, the manifest's row
    counts and the files archived all come from one snapshot, so a backup taken while people work
    verifies on restore: the files are exactly those the copied rows point to (a file written for a row
    committed after the snapshot is left out, as that row is)."""
    destination = Path(destination)
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty; choose a new folder")
    destination.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "postgresql":
        tables, names = _dump_postgresql(destination)
    elif vendor == "sqlite":
        tables, names = _copy_sqlite(destination)
    else:
        raise BackupError(f"no backup method for the {vendor} database")
    root = Path(settings.MEDIA_ROOT)
    files, missing = {}, []
    with tarfile.open(destination / MEDIA_TAR, "w") as archive:
        for name in sorted(names):
            path = root / name
            if not path.is_file():
                missing.append(name)
                continue
            content = path.read_bytes()
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(content), int(path.stat().st_mtime), 0o444
            archive.addfile(info, io.BytesIO(content))
            files[name] = hashlib.sha256(content).hexdigest()
    manifest = {
        "created_at": timezone.now().isoformat(),
        "engine": vendor,
        "tables": tables,
        "files": files,
        # rows whose file was already gone when the backup read it (a removal racing the backup, or a
        # file lost earlier): said, not hidden, so the operator can look into them
        "missing_files": missing,
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore(source: Path) -> Verification:
    """Restore a backup into the configured database, which must be empty (no tables), and its files
    into MEDIA_ROOT (refusing to overwrite any), then check every count and hash against the manifest."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError) as exc:
        raise BackupError(f"{source} is not a backup ({MANIFEST}: {exc})") from None
    vendor = connection.vendor
    if manifest["engine"] != vendor:
        raise BackupError(f"the backup is of a {manifest['engine']} database; this one is {vendor}")
    if not _database_is_empty():
        raise BackupError("the database is not empty; restore into a new, empty database")
    root = Path(settings.MEDIA_ROOT)
    with tarfile.open(source / MEDIA_TAR) as archive:
        members = archive.getmembers()
        clashes = [m.name for m in members if (root / m.name).exists()]
        if clashes:
            raise BackupError(f"{len(clashes)} files already exist under MEDIA_ROOT, e.g. {clashes[0]}")
        if vendor == "postgresql":
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--dbname",
                    _pg_environment()["PGDATABASE"],
                    str(source / PG_DUMP),
                ]
            )
            # The restored tables belong to the role restoring them (the owner, DATABASE_MIGRATE_URL): the
            # application role gets its privileges back on them.
            try:
                grant_app_role()
            except AppRoleError as exc:
                raise BackupError(f"restored, but the application role has no privileges: {exc}") from None
        else:
            connection.close()
            shutil.copyfile(source / SQLITE_COPY, connection.settings_dict["NAME"])
        root.mkdir(parents=True, exist_ok=True)
        _extract(archive, members, root)
    return verify(manifest)


def _extract(archive: tarfile.TarFile, members: list[tarfile.TarInfo], root: Path) -> None:
    """Regular files inside MEDIA_ROOT only (no links, devices, absolute paths or "..")."""
    for member in members:
        target = (root / member.name).resolve()
        if not member.isfile() or root.resolve() not in target.parents:
            raise BackupError(f"refusing {member.name!r} in {MEDIA_TAR}: not a plain file inside MEDIA_ROOT")
    for member in members:
        target = root / member.name
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.extractfile(member) as data, open(target, "xb") as out:
            shutil.copyfileobj(data, out)


def verify(manifest: dict) -> Verification:
    connection.close()  # a fresh connection sees the restored database
    tables = row_counts()
    files = media_files()
    mismatches = [
        f"{table}: {manifest['tables'][table]} rows in the backup, {tables.get(table)} restored"
        for table in manifest["tables"]
        if tables.get(table) != manifest["tables"][table]
    ]
    mismatches += [
        f"file {name}: missing or different"
        for name, digest in manifest["files"].items()
        if files.get(name) != digest
    ]
    return Verification(tables=tables, files=len(files), mismatches=mismatches)
