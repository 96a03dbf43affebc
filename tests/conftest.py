import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory
from themes.services import STRATEGY_DIR, strategy_load
from udsathed.groups import COMMITTEE_MEMBERS, PROJECT_LEADERS


@pytest.fixture
def fredericia(db):
    """The real Fredericia strategy, loaded from its file and active."""
    return strategy_load(path=STRATEGY_DIR / "fredericia.toml").strategy


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
def media_root(settings, tmp_path_factory):
    """Uploaded pictures go to a fresh folder per test, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    return settings.MEDIA_ROOT
