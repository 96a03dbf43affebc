from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ambassadors.models import Ambassador
from networks import services
from networks.models import Invitation, Membership, Network
from tests.ambassadors.factories import AmbassadorFactory, ParticipationFactory
from tests.networks.factories import MembershipFactory, NetworkFactory


def test_there_can_be_only_one_standing_network(db):
    NetworkFactory(standing=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        NetworkFactory(standing=True, slug="another")
    assert Network.objects.filter(kind="standing").count() == 1


def test_a_closed_network_needs_an_outcome(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        NetworkFactory(state="closed", outcome="")


def test_matching_ranks_the_least_active_first(fredericia):
    theme = fredericia.themes.get(number=10)
    network = NetworkFactory(themes=[theme], name="Frivillige chauffører")
    busy = AmbassadorFactory(themes=[theme], name="Travl")
    for _ in range(5):
        ParticipationFactory(ambassador=busy)
    some = AmbassadorFactory(themes=[theme], name="Lidt")
    ParticipationFactory(ambassador=some)
    fresh = AmbassadorFactory(themes=[theme], name="Ny")
    old_timer = AmbassadorFactory(themes=[theme], name="Gammel")
    ParticipationFactory(
        ambassador=old_timer, occurred_on=timezone.localdate() - timedelta(days=500)
    )
    skills = AmbassadorFactory(skills="Jeg kan køre som chauffører om aftenen", name="Skills")
    AmbassadorFactory(name="Uden match", skills="Strikning")
    member = AmbassadorFactory(themes=[theme])
    MembershipFactory(network=network, ambassador=member)
    ranked = list(services.suggest_ambassadors(network=network))
    assert ranked[-1] == busy and ranked[-2] == some
    assert set(ranked[:3]) == {fresh, old_timer, skills}
    assert member not in ranked
    assert not any(a.name == "Uden match" for a in ranked)


def test_invitations_and_answers_make_members(fredericia, committed, project_leader):
    network = NetworkFactory()
    people = AmbassadorFactory.create_batch(3)
    sent = committed(
        services.invitations_send, network=network, ambassadors=people, actor=project_leader
    )
    assert sent == 3 and len(mail.outbox) == 3
    assert services.invitations_send(network=network, ambassadors=people) == 0  # no doubles
    first, second, _ = Invitation.objects.order_by("pk")
    services.invitation_answer(invitation=first, accept=True)
    services.invitation_answer(invitation=second, accept=False)
    services.invitation_answer(invitation=first, accept=False)  # answered once only
    assert list(Membership.objects.values_list("ambassador", flat=True)) == [first.ambassador_id]
    assert first.ambassador in Ambassador.objects.active()


def test_join_request_then_approval(fredericia):
    network = NetworkFactory()
    ambassador = AmbassadorFactory()
    membership = services.network_join_request(network=network, ambassador=ambassador)
    assert membership.state == "requested"
    assert ambassador not in Ambassador.objects.active()
    services.membership_approve(membership=membership)
    membership.refresh_from_db()
    assert membership.state == "active" and ambassador in Ambassador.objects.active()
    closed = NetworkFactory(closed=True)
    with pytest.raises(ValidationError):
        services.network_join_request(network=closed, ambassador=ambassador)
