import fcntl
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connections
from django.test.utils import override_settings

from tests.factories import UserFactory
from tests.fredericia import FREDERICIA, FREDERICIA_ROWS, insert_fredericia, rows_written_by
from themes.services import strategy_load
from udsathed.groups import COMMITTEE_MEMBERS, PROJECT_LEADERS


@pytest.fixture
def fredericia(db):
    """The real Fredericia strategy, loaded from its file and active (the rows of the session's
    one load, see insert_fredericia)."""
    return insert_fredericia()


@pytest.fixture
def groups(db):
    # Made by the post_migrate handler, which also runs after each flush of the test database.
    return Group.objects.get(name=PROJECT_LEADERS), Group.objects.get(name=COMMITTEE_MEMBERS)


@pytest.fixture
def project_leader(groups):
    user = UserFactory(is_staff=True)
    user.groups.add(groups[0])
    return user


@pytest.fixture
def committee_member(groups):
    user = UserFactory(is_staff=True)
    user.groups.add(groups[1])
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Call a service and run its on-commit work (the e-mails) as if the request had ended."""

    def run(service, /, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


@pytest.fixture(autouse=True)
def danish_first():
    """Every test starts in Danish: a request under /en/ leaves English active in its thread,
    and `reverse()` in the next test would then give English paths."""
    from django.utils import translation

    translation.activate("da")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Uploaded pictures go to a fresh folder per test, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    return settings.MEDIA_ROOT


# What keeps the whole suite fast: a cheap password hasher, the Fredericia strategy loaded once
# per test database and inserted again where a test asks for it, and the tests that restart
# PostgreSQL running alone under pytest-xdist.


@pytest.fixture(scope="session", autouse=True)
def fast_password_hasher():
    """MD5 instead of Argon2 (about 0.6 s a user) for the users the tests make. Production's
    hasher is checked from the settings module itself (tests/security/test_settings_headers.py).
    """
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def pages_drawn_for_every_request():
    """The public pages' cache (udsathed.core.cache.public_page) keeps nothing in tests, so a test
    sees its own change at once; tests/test_page_cache.py puts the real one back and tests it."""
    from django.conf import settings

    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    with override_settings(CACHES={**settings.CACHES, "pages": dummy}):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, and once for the session the rows that loading the Fredericia strategy
    writes (in a transaction that is rolled back), so each test can have them back cheaply."""
    with django_db_blocker.unblock():
        FREDERICIA_ROWS[:] = rows_written_by(lambda: strategy_load(path=FREDERICIA))


def database_turns(config) -> Path | None:
    """The folder the pytest-xdist workers of one run share, or None without xdist."""
    if not hasattr(config, "workerinput") or not config.option.basetemp:
        return None
    return Path(config.option.basetemp).parent


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """Under pytest-xdist, a test marked `restarts_database` (it stops the shared PostgreSQL)
    waits until no other test runs, and the others wait while it runs. Taken before any fixture,
    so no test holds a connection across the restart."""
    folder = database_turns(item.config)
    if folder is not None:
        exclusive = item.get_closest_marker("restarts_database") is not None
        gate = open(folder / "database-gate.lock", "a+")  # noqa: SIM115 - held until teardown
        turn = open(folder / "database-turn.lock", "a+")  # noqa: SIM115
        # The gate makes a waiting exclusive test first in line: no new shared turn meanwhile.
        fcntl.flock(gate, fcntl.LOCK_EX)
        if exclusive:
            fcntl.flock(turn, fcntl.LOCK_EX)
        else:
            fcntl.flock(turn, fcntl.LOCK_SH)
            fcntl.flock(gate, fcntl.LOCK_UN)
            reconnect_after_restart(folder)
        item.stash[TURN_KEY] = (gate, turn)
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        held = item.stash.get(TURN_KEY, None)
        if held is not None:
            gate, turn = held
            if item.get_closest_marker("restarts_database") is not None:
                count = folder_restarts(Path(gate.name).parent)
                (Path(gate.name).parent / "database-restarts").write_text(str(count + 1))
            turn.close()  # closing releases the locks
            gate.close()


TURN_KEY = pytest.StashKey[tuple]()
SEEN_RESTARTS = {"count": 0}


def folder_restarts(folder: Path) -> int:
    try:
        return int((folder / "database-restarts").read_text())
    except (OSError, ValueError):
        return 0


def reconnect_after_restart(folder: Path) -> None:
    """Another worker restarted PostgreSQL since this one's last test: its connections died."""
    count = folder_restarts(folder)
    if count != SEEN_RESTARTS["count"]:
        SEEN_RESTARTS["count"] = count
        connections.close_all()
