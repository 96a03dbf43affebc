"""The health check of kept connections (udsathed/postgres): no round trip while all is well,
a new connection when the server has ended the old one."""

import time

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper

pytestmark = pytest.mark.django_db(transaction=True)


def kept_connection():
    connection.ensure_connection()
    connection.health_check_done = False  # as at the start of each request
    return connection.connection


def test_a_healthy_idle_connection_is_kept_without_asking_the_server(monkeypatch):
    kept = kept_connection()

    def round_trip(self):
        raise AssertionError("the health check asked the server")

    monkeypatch.setattr(DjangoWrapper, "is_usable", round_trip)
    connection.close_if_health_check_failed()
    assert connection.connection is kept and connection.health_check_done


def test_a_connection_the_server_ended_is_replaced_before_the_query():
    kept = kept_connection()
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [kept.info.backend_pid])
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.02)  # the server's goodbye takes a moment to arrive
    connection.close_if_health_check_failed()
    assert connection.connection is None  # closed, not used for the query
    with connection.cursor() as cursor:  # a fresh one answers
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert connection.connection is not kept


def test_inside_a_transaction_the_server_is_asked(monkeypatch):
    asked = []
    monkeypatch.setattr(DjangoWrapper, "is_usable", lambda self: asked.append(1) or True)
    kept_connection()
    with connection.cursor() as cursor:
        connection.set_autocommit(False)
        try:
            cursor.execute("SELECT 1")
            assert connection.is_usable() and asked == [1]
        finally:
            connection.rollback()
            connection.set_autocommit(True)
