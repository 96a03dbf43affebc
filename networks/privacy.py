"""A person's rows in `networks`: erased when they withdraw, listed when they ask for their data.

Connected to `ambassadors.signals` in `NetworksConfig.ready()`, because `ambassadors` may not
import this app. A person's rows are those linked to their ambassador row and, for
registrations and balls, those made with their e-mail address in any case without the link
(someone who signed up at the door, or sent a ball without logging in): the address is what
they proved to reach Min side, and what they withdrew.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from ambassadors.models import Ambassador
from networks.models import (
    ActivityInvitation,
    Ball,
    Invitation,
    InvitationState,
    Membership,
    MembershipState,
    Registration,
    RegistrationStatus,
    new_ball_token,
    new_checkin_code,
)
from networks.services import registration_cancel
from udsathed.core.adminlog import admin_log_forget


def erased_registration_email() -> str:
    """The address an erased registration keeps: random, so it names no one and never collides.

    A registration cannot have an empty e-mail per se: `one_registration_per_email` makes
    (activity, lower(email)) unique among the rows that are not cancelled, and the rows of two
    erased people who came to one activity must both stay 'registered' and 'attended' for the
    activity's counts. A fresh random local part at the reserved `.invalid` domain (RFC 2606)
    holds no personal data, cannot be guessed in advance to block an erasure, and no mail to it
    can ever be delivered.
    """
    return f"erased-{secrets.token_hex(8)}@erased.invalid"


def _registrations(ambassador: Ambassador, email: str) -> QuerySet[Registration]:
    mine = Q(ambassador=ambassador)
    if email:
        mine |= Q(email__iexact=email)
    return Registration.objects.filter(mine)


def _balls(email: str) -> QuerySet[Ball]:
    if not email:
        return Ball.objects.none()
    return Ball.objects.filter(contact_email__iexact=email)


def _when(value) -> str | None:
    return value.isoformat() if value else None


@transaction.atomic
def person_erase(*, ambassador: Ambassador, email: str, now: datetime) -> None:
    """Erase the person from every table of `networks`, keeping nameless counts.

    - Registrations are anonymised in place: name and needs emptied, the e-mail replaced (see
      `erased_registration_email`), the ticket link and check-in code replaced so the old ones
      lead nowhere. Status and attendance stay, so held activities count the same; a place at
      an activity not yet over and not attended is cancelled, which moves the waiting list up.
    - Balls sent with the e-mail lose the sender's name, e-mail and phone, as retention does
      (`contact_erased_at`); the ball itself stays with the network that works on it.
    - Memberships end (`left`) and lose their mandate text; pending network invitations are
      declined and every invitation's link replaced; activity invitations not yet mailed go.
    - The admin's change log names these rows by number instead of by the person.
    """
    registrations = list(
        _registrations(ambassador, email).select_related("activity").order_by("pk")
    )
    for registration in registrations:
        if (
            registration.status != RegistrationStatus.CANCELLED
            and not registration.attended
            and registration.activity.ends_at >= now
        ):
            registration_cancel(registration=registration)
    for registration in Registration.objects.select_for_update().filter(
        pk__in=[r.pk for r in registrations]
    ):
        registration.name = ""
        registration.email = erased_registration_email()
        registration.needs = ""
        registration.token = new_ball_token()
        registration.checkin_code = new_checkin_code()
        registration.save(update_fields=["name", "email", "needs", "token", "checkin_code"])
    admin_log_forget(model=Registration, pks=[r.pk for r in registrations])

    _balls(email).filter(contact_erased_at__isnull=True).update(
        contact_name="", contact_email="", contact_phone="", contact_erased_at=now
    )

    memberships = Membership.objects.filter(ambassador=ambassador)
    admin_log_forget(model=Membership, pks=memberships.values_list("pk", flat=True))
    memberships.update(state=MembershipState.LEFT, mandate="")

    invitations = Invitation.objects.filter(ambassador=ambassador)
    admin_log_forget(model=Invitation, pks=invitations.values_list("pk", flat=True))
    invitations.filter(state=InvitationState.PENDING).update(
        state=InvitationState.DECLINED, answered_at=now
    )
    for invitation in invitations:
        invitation.token = new_ball_token()
        invitation.save(update_fields=["token"])

    activity_invitations = ActivityInvitation.objects.filter(ambassador=ambassador)
    admin_log_forget(
        model=ActivityInvitation, pks=activity_invitations.values_list("pk", flat=True)
    )
    activity_invitations.filter(sent_at__isnull=True).delete()


def person_export(*, ambassador: Ambassador, email: str) -> dict[str, list[dict[str, Any]]]:
    """The person's registrations (with needs), memberships, invitations and balls."""
    registrations = _registrations(ambassador, email).select_related("activity")
    memberships = Membership.objects.filter(ambassador=ambassador).select_related("network")
    invitations = Invitation.objects.filter(ambassador=ambassador).select_related("network", "ball")
    activity_invitations = ActivityInvitation.objects.filter(ambassador=ambassador).select_related(
        "activity"
    )
    return {
        "registrations": [
            {
                "activity": r.activity.title,
                "starts": _when(r.activity.starts_at),
                "name": r.name,
                "email": r.email,
                "needs": r.needs,
                "status": r.status,
                "attended": r.attended,
                "registered": _when(r.created_at),
                "reminded": _when(r.reminded_at),
            }
            for r in registrations.order_by("created_at", "pk")
        ],
        "memberships": [
            {
                "network": m.network.name,
                "role": m.role,
                "state": m.state,
                "joined": m.joined_on.isoformat(),
                "mandate": m.mandate,
            }
            for m in memberships.order_by("joined_on", "pk")
        ],
        "network_invitations": [
            {
                "network": i.network.name,
                "for_ball": i.ball.title if i.ball else None,
                "state": i.state,
                "invited": _when(i.created_at),
                "answered": _when(i.answered_at),
            }
            for i in invitations.order_by("created_at", "pk")
        ],
        "activity_invitations": [
            {"activity": i.activity.title, "invited": _when(i.created_at), "sent": _when(i.sent_at)}
            for i in activity_invitations.order_by("created_at", "pk")
        ],
        "balls": [
            {
                "kind": b.kind,
                "title": b.title,
                "description": b.description,
                "state": b.state,
                "received": _when(b.received_at),
                "contact_name": b.contact_name,
                "contact_email": b.contact_email,
                "contact_phone": b.contact_phone,
                "may_be_contacted": b.contact_consent,
                "public_answer": b.public_answer,
            }
            for b in _balls(email).order_by("received_at", "pk")
        ],
    }


# Receivers of ambassadors.signals, connected in NetworksConfig.ready().


def on_ambassador_erased(sender, *, ambassador, email, now, **kwargs) -> None:
    person_erase(ambassador=ambassador, email=email, now=now)


def on_ambassador_exporting(sender, *, ambassador, email, **kwargs):
    return person_export(ambassador=ambassador, email=email)
