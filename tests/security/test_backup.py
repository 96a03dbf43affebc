"""Reliability 6: `make backup` writes the database and the pictures; restored into a scratch
database (and an empty media folder), every table has the same number of rows and every picture
the same bytes."""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from ambassadors.models import Ambassador
from ambassadors.services import story_submit
from tests.ambassadors.factories import AmbassadorFactory
from tests.networks.factories import BallFactory
from tests.pictures import jpeg
from tests.security.test_load import database_url
from udsathed.backup import add_bytes, database_restore
from udsathed.core.pictures import reencode_picture


def row_counts(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


def admin_connection(settings_dict, dbname="postgres"):
    return psycopg.connect(
        host=settings_dict["HOST"],
        port=settings_dict.get("PORT") or None,
        user=settings_dict["USER"],
        password=settings_dict.get("PASSWORD") or None,
        dbname=dbname,
        autocommit=True,
    )


def test_backup_restores_with_the_same_row_counts(transactional_db, fredericia, tmp_path):
    AmbassadorFactory.create_batch(5)
    BallFactory.create_batch(3)
    dump = tmp_path / "portal.dump"
    call_command("backup_database", output=dump, stdout=io.StringIO())
    assert dump.stat().st_size > 0
    settings_dict = connection.settings_dict
    # Named after the test database, so each pytest-xdist worker (and checkout) has its own.
    scratch = f"{settings_dict['NAME']}_restore_check"
    with admin_connection(settings_dict) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    try:
        database_restore(settings_dict=settings_dict, source=dump, dbname=scratch)
        with connection.cursor() as cursor:
            original = row_counts(cursor)
        with admin_connection(settings_dict, scratch) as restored, restored.cursor() as cursor:
            copy = row_counts(cursor)
    finally:
        with admin_connection(settings_dict) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
    assert original == copy
    assert original["ambassadors_ambassador"] == 5 and original["networks_ball"] == 3


# Issue 21 item 4: one archive with the database and the pictures, restored into an empty
# installation (a new database, an empty media folder) by `manage.py restore` in its own process.


def stored_files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def restore_process(archive: Path, *, dbname: str, media: Path, extra: tuple = ()):
    from tests.test_settings import run_manage

    settings_dict = {**connection.settings_dict, "NAME": dbname}
    return run_manage(
        "restore",
        str(archive),
        *extra,
        DEBUG="1",
        DATABASE_URL=database_url(settings_dict),
        MEDIA_ROOT=str(media),
        MEDIA_STORAGE="local",
    )


@pytest.fixture
def scratch_database():
    """An empty database beside the test database, named after it (one per xdist worker)."""
    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_restore_all"
    with admin_connection(settings_dict) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with admin_connection(settings_dict) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def test_backup_holds_the_database_and_the_pictures_and_restores_both(
    transactional_db, fredericia, media_root, scratch_database, tmp_path
):
    AmbassadorFactory.create_batch(3)
    BallFactory.create_batch(2)
    story_submit(
        ambassador=AmbassadorFactory(),
        title="Kaffe",
        text="En ny kaffemaskine.",
        use="both",
        people_consented=True,
        pictures=[(reencode_picture(jpeg()), "Maskinen"), (reencode_picture(jpeg()), "Koppen")],
    )
    original_files = stored_files(Path(media_root))
    assert len(original_files) == 2
    archive = tmp_path / "backup.tar"
    call_command("backup", output=archive, stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        assert {"manifest.json", "database.dump"} <= set(tar.getnames())
    media = tmp_path / "restored-media"
    media.mkdir()
    result = restore_process(archive, dbname=scratch_database, media=media)
    assert result.returncode == 0, result.stdout + result.stderr
    with connection.cursor() as cursor:
        original = row_counts(cursor)
    with admin_connection(connection.settings_dict, scratch_database) as restored:
        copy = row_counts(restored.cursor())
    assert original == copy
    assert original["ambassadors_storypicture"] == 2
    assert stored_files(media) == original_files
    # A second restore into what is now a full installation is refused, with a clear message.
    again = restore_process(archive, dbname=scratch_database, media=media)
    assert again.returncode != 0
    assert "is not empty" in again.stderr and "--replace" in again.stderr
    assert "Traceback" not in again.stderr
    # Told to, it replaces what is there.
    replaced = restore_process(archive, dbname=scratch_database, media=media, extra=("--replace",))
    assert replaced.returncode == 0, replaced.stdout + replaced.stderr
    with admin_connection(connection.settings_dict, scratch_database) as restored:
        assert row_counts(restored.cursor()) == original
    assert stored_files(media) == original_files


def test_restore_refuses_a_non_empty_database_and_changes_nothing(
    transactional_db, fredericia, tmp_path
):
    AmbassadorFactory.create_batch(2)
    archive = tmp_path / "backup.tar"
    call_command("backup", output=archive, stdout=io.StringIO())
    AmbassadorFactory()
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", archive, stdout=io.StringIO())
    assert Ambassador.objects.count() == 3


def test_restore_refuses_an_archive_with_an_unsafe_or_damaged_member(db, tmp_path, media_root):
    archive = tmp_path / "evil.tar"
    manifest = {"format": 1, "dump_sha256": hashlib.sha256(b"x").hexdigest(), "files": {}}
    for name, content in [("media/../../outside.txt", b"evil")]:
        manifest["files"][name.removeprefix("media/")] = {
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
        }
    with tarfile.open(archive, "w") as tar:
        add_bytes(tar, "manifest.json", json.dumps(manifest).encode())
        add_bytes(tar, "database.dump", b"x")
        add_bytes(tar, "media/../../outside.txt", b"evil")
    with pytest.raises(CommandError, match="unsafe name"):
        call_command("restore", archive, stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(damaged, "w") as tar:
        add_bytes(tar, "manifest.json", json.dumps({**manifest, "files": {}}).encode())
        add_bytes(tar, "database.dump", b"y")
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", damaged, stdout=io.StringIO())
    (tmp_path / "plain.txt").write_text("no tar")
    with pytest.raises(CommandError, match="not a backup archive"):
        call_command("restore", tmp_path / "plain.txt", stdout=io.StringIO())
    assert not (tmp_path.parent / "outside.txt").exists()
    assert not list(Path(media_root).rglob("*"))
