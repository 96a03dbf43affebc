"""Reliability 6: `make backup` writes a pg_dump; restored into a scratch database, every table
has the same number of rows."""

import io

import psycopg
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from tests.ambassadors.factories import AmbassadorFactory
from tests.networks.factories import BallFactory
from udsathed.backup import database_restore


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
