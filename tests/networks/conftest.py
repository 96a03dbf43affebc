"""Fixtures shared by the networks tests: the standing network and a lead of it."""

import pytest

from networks.models import Membership
from tests.factories import UserFactory
from tests.networks.factories import NetworkFactory
from udsathed.groups import NETWORK_LEADS


@pytest.fixture
def standing(db):
    return NetworkFactory(standing=True, slug="staaende")


@pytest.fixture
def lead(db, standing):
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=NETWORK_LEADS))
    Membership.objects.create(network=standing, user=user, role="lead")
    return user
