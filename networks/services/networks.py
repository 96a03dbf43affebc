"""Writes about action networks: members, join requests and invitations to join."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassadors.models import ACTIVE_WINDOW, Ambassador, Participation, ParticipationKind
from networks.models import (
    Ball,
    Invitation,
    InvitationState,
    Membership,
    MembershipRole,
    MembershipState,
    Network,
    NetworkKind,
)
from udsathed.core.mail import absolute_url, build_email, send_after_commit


def standing_network() -> Network | None:
    return Network.objects.filter(kind=NetworkKind.STANDING).first()


def _add_member(network: Network, ambassador: Ambassador) -> Membership:
    membership, created = Membership.objects.get_or_create(
        network=network,
        ambassador=ambassador,
        defaults={"state": MembershipState.ACTIVE, "role": MembershipRole.MEMBER},
    )
    if not created and membership.state != MembershipState.ACTIVE:
        membership.state = MembershipState.ACTIVE
        membership.save(update_fields=["state"])
    # Membership is taking part: it keeps the ambassador active for 12 months.
    Participation.objects.create(
        ambassador=ambassador,
        kind=ParticipationKind.NETWORK,
        description=network.name[:200],
    )
    return membership


@transaction.atomic
def network_join_request(*, network: Network, ambassador: Ambassador) -> Membership:
    """An ambassador asks to join an open ad hoc network; a project leader approves."""
    if not network.accepts_join_requests:
        raise ValidationError(_("This network does not take new members."))
    membership, _created = Membership.objects.get_or_create(
        network=network,
        ambassador=ambassador,
        defaults={"state": MembershipState.REQUESTED},
    )
    return membership


@transaction.atomic
def membership_approve(*, membership: Membership) -> Membership:
    if membership.ambassador_id and membership.state != MembershipState.ACTIVE:
        return _add_member(membership.network, membership.ambassador)
    return membership


def suggest_ambassadors(
    *, network: Network, ball: Ball | None = None, now=None
) -> QuerySet[Ambassador]:
    """Ambassadors who fit a task, those who took part least in the last 12 months first.

    Fit = shared themes + shared core areas + words of the task found in what they offer.
    The order answers the evaluation's worry that the same few people do everything.
    """
    source = ball or network
    theme_ids = list(source.themes.values_list("pk", flat=True))
    area_ids = list(source.core_areas.values_list("pk", flat=True))
    words = {
        word.lower() for word in re.findall(r"\w{5,}", f"{source.title if ball else network.name}")
    }
    since = (now or timezone.now()).date() - ACTIVE_WINDOW
    skill_match = Q()
    for word in sorted(words)[:10]:
        skill_match |= Q(skills__icontains=word)
    members = Membership.objects.filter(network=network, ambassador__isnull=False).values(
        "ambassador"
    )
    pending = Invitation.objects.filter(network=network, state=InvitationState.PENDING).values(
        "ambassador"
    )
    return (
        Ambassador.objects.confirmed()
        .exclude(pk__in=members)
        .exclude(pk__in=pending)
        .annotate(
            theme_matches=Count("themes", filter=Q(themes__in=theme_ids), distinct=True),
            area_matches=Count("core_areas", filter=Q(core_areas__in=area_ids), distinct=True),
            recent_participation=Count(
                "participations",
                filter=Q(participations__occurred_on__gte=since),
                distinct=True,
            ),
            skill_matches=Case(When(skill_match, then=Value(1)), default=Value(0))
            if words
            else Value(0, output_field=IntegerField()),
        )
        .filter(Q(theme_matches__gt=0) | Q(area_matches__gt=0) | Q(skill_matches__gt=0))
        .order_by("recent_participation", "-theme_matches", "-area_matches", "-skill_matches", "pk")
    )


@transaction.atomic
def invitations_send(
    *, network: Network, ambassadors: Iterable[Ambassador], actor=None, ball: Ball | None = None
) -> int:
    """Invite ambassadors to a network in one go; each answers through a personal link."""
    sent = 0
    for ambassador in ambassadors:
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    network=network, ambassador=ambassador, ball=ball, invited_by=actor
                )
        except IntegrityError:
            continue  # already invited and not answered yet
        message = build_email(
            to=ambassador.email,
            template="networks/email/invitation",
            context={
                "ambassador": ambassador,
                "network": network,
                "link": absolute_url(invitation.get_absolute_url()),
            },
            language=ambassador.language,
        )
        send_after_commit(message)
        sent += 1
    return sent


@transaction.atomic
def invitation_answer(*, invitation: Invitation, accept: bool) -> Invitation:
    """Accepting makes the ambassador a member; an invitation is answered once."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != InvitationState.PENDING:
        return invitation
    invitation.state = InvitationState.ACCEPTED if accept else InvitationState.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["state", "answered_at"])
    if accept:
        _add_member(invitation.network, invitation.ambassador)
    return invitation
