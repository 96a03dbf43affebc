"""Writes about balls, networks, memberships and invitations."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ambassadors.models import ACTIVE_WINDOW, Ambassador, Participation, ParticipationKind
from networks.models import (
    NEEDS_ANSWER,
    NEEDS_NETWORK,
    Activity,
    ActivityInvitation,
    ActivityState,
    Ball,
    BallEvent,
    BallState,
    Invitation,
    InvitationState,
    Membership,
    MembershipRole,
    MembershipState,
    Network,
    NetworkKind,
    NetworkState,
    Registration,
    RegistrationStatus,
    normalise_checkin_code,
)
from themes.models import CoreArea, Theme
from udsathed.core.cpr import mask_cpr
from udsathed.core.mail import absolute_url, build_email, send_after_commit
from udsathed.core.submissions import submission_key

logger = logging.getLogger(__name__)


def _notify_sender(ball: Ball, event: BallEvent) -> None:
    if not ball.contact_email or ball.contact_erased_at:
        return
    message = build_email(
        to=ball.contact_email,
        template="networks/email/ball_step",
        context={"ball": ball, "event": event, "link": absolute_url(ball.get_absolute_url())},
        language=ball.language,
    )
    send_after_commit(message)


def ball_record_received(*, ball: Ball, actor=None) -> BallEvent:
    """The first step of every ball's history: received, when and (for staff) by whom."""
    return BallEvent.objects.create(
        ball=ball,
        from_state="",
        to_state=BallState.RECEIVED,
        is_public=True,
        actor=actor,
        created_at=ball.received_at,
    )


def ball_submit(
    *,
    kind: str,
    title: str,
    description: str,
    themes: Iterable[Theme] = (),
    core_areas: Iterable[CoreArea] = (),
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    contact_consent: bool = False,
    publish_consent: bool = False,
    language: str = "da",
    form_key: str = "",
) -> Ball:
    """Receive a ball. CPR numbers in any free text are masked before anything is saved.

    `form_key`: the form's one-time key. The same form sent again with the same content (a
    double click, a retry after a lost answer) returns the ball it made the first time; sent
    with other content (back, edit, send) it makes a new ball. The ball's token, the secret of
    its status page, is always made here, never taken from the form."""
    themes, core_areas = list(themes), list(core_areas)
    key = submission_key(
        form_key,
        kind,
        title,
        description,
        sorted(getattr(theme, "pk", theme) for theme in themes),
        sorted(getattr(area, "pk", area) for area in core_areas),
        contact_name,
        contact_email,
        contact_phone,
        contact_consent,
        publish_consent,
    )
    if key and (existing := Ball.objects.filter(form_key=key).first()):
        logger.info("Ball form sent again: the ball it made the first time is shown")
        return existing
    # The title and description are masked (and counted into cpr_masked) by their model fields;
    # the sender's name is no free-text field, but a sender may put anything in it.
    contact_name, masked_in_name = mask_cpr(contact_name)
    ball = Ball(
        kind=kind,
        title=title,
        description=description,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        contact_consent=contact_consent and bool(contact_email or contact_phone),
        publish_consent=publish_consent,
        language=language,
        cpr_masked=masked_in_name,
        form_key=key,
    )
    # Unique fields are left to the database: the token is 192 random bits.
    ball.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            ball.save()
            ball_record_received(ball=ball)
            # A new ball has no links yet: add only what was chosen (set() would first read them).
            if themes:
                ball.themes.add(*themes)
            if core_areas:
                ball.core_areas.add(*core_areas)
    except IntegrityError:
        # The same submission at the same instant (two workers): the first one's ball counts.
        existing = Ball.objects.filter(form_key=key).first() if key else None
        if existing is None:
            raise
        return existing
    if ball.cpr_masked:
        logger.info("Ball #%s: masked %s CPR numbers", ball.pk, ball.cpr_masked)
    if ball.contact_email:
        message = build_email(
            to=ball.contact_email,
            template="networks/email/ball_receipt",
            context={"ball": ball, "link": absolute_url(ball.get_absolute_url())},
            language=language,
        )
        send_after_commit(message)
    return ball


@transaction.atomic
def ball_transition(
    *,
    ball: Ball,
    to_state: str,
    actor=None,
    public_note: str = "",
    network: Network | None = None,
    duplicate_of: Ball | None = None,
) -> BallEvent:
    """Move a ball to a new state, record who did it, and tell the sender.

    Closing (done), declining or closing as a duplicate needs a public answer: being heard is
    not the same as getting one's wish, and the decision must be explained (for a duplicate:
    what it repeats, see `ball_duplicate_answer`). Passing on needs a network; a duplicate needs
    the original ball. The first move away from 'received' is the ball's first response.
    """
    ball = Ball.objects.select_for_update().get(pk=ball.pk)
    public_note = public_note.strip()  # CPR numbers: masked by the model fields it is saved in
    errors = {}
    if to_state not in ball.allowed_transitions():
        errors["to_state"] = _("A ball cannot go from “%(from)s” to “%(to)s”.") % {
            "from": ball.get_state_display(),
            "to": BallState(to_state).label if to_state in BallState.values else to_state,
        }
    if to_state == BallState.DUPLICATE and not public_note:
        errors["public_note"] = _(
            "Tell the sender in plain words which ball this one duplicates before you close it."
        )
    elif to_state in NEEDS_ANSWER and not public_note:
        errors["public_note"] = _("Write the answer the sender will see before closing the ball.")
    if to_state in NEEDS_NETWORK:
        network = network or ball.network
        if network is None:
            errors["network"] = _("Choose the network that takes the ball.")
    if to_state == BallState.DUPLICATE and (duplicate_of is None or duplicate_of.pk == ball.pk):
        errors["duplicate_of"] = _("Choose the other ball that this one duplicates.")
    elif (
        to_state == BallState.DUPLICATE
        and ball.duplicates.filter(pk=duplicate_of.pk, state=BallState.DUPLICATE).exists()
    ):
        errors["duplicate_of"] = _(
            "That ball is already a duplicate of this one. Reopen it first, or choose another ball."
        )
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    from_state = ball.state
    ball.state = to_state
    if network is not None:
        ball.network = network
    # A ball reopened from "duplicate" no longer counts among the original's duplicates.
    ball.duplicate_of = duplicate_of if to_state == BallState.DUPLICATE else None
    if to_state in NEEDS_ANSWER:
        ball.public_answer = public_note
    if ball.first_response_at is None:
        ball.first_response_at = now
    ball.closed_at = now if ball.is_closed else None
    ball.save()
    event = BallEvent.objects.create(
        ball=ball,
        from_state=from_state,
        to_state=to_state,
        network=ball.network if to_state in NEEDS_NETWORK else None,
        public_note=public_note,
        actor=actor,
        created_at=now,
    )
    _notify_sender(ball, event)
    return event


def ball_duplicate_answer(*, ball: Ball, original: Ball) -> str:
    """A suggested public answer for closing `ball` as a duplicate of `original`, in the
    sender's language, for the project leader to read and edit. The original is named only by
    its public title (and its network's public page): never by its own words or its sender, and
    not at all when it has no public title."""
    with translation.override(ball.language):
        if not original.public_title:
            return _(
                "Thank you for your ball. The same matter has already reached us from someone "
                "else, so we deal with the two together. That is why this ball is closed as a "
                "duplicate; the work goes on with the other one."
            )
        answer = _(
            "Thank you for your ball. The same matter has already reached us as “%(title)s”, "
            "so we deal with the two together. That is why this ball is closed as a duplicate; "
            "the work goes on with “%(title)s”."
        ) % {"title": original.public_title}
        network = original.network
        if network is not None and network.state != NetworkState.PLANNED:
            answer += " " + _("You can follow it on the page of %(network)s: %(link)s") % {
                "network": network.name,
                "link": absolute_url(network.get_absolute_url()),
            }
        return answer


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


# ---- activities --------------------------------------------------------------------------


@transaction.atomic
def registration_create(
    *, activity: Activity, name: str, email: str, needs: str = "", ambassador=None
) -> Registration:
    """Take a place, or a place on the waiting list when the activity is full.

    The activity row is locked while seats are counted, so concurrent registrations for the
    last seats never exceed the capacity. Registering twice with one e-mail returns the
    existing registration.
    """
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if not activity.registration_open():
        raise ValidationError(_("Registration for this activity is closed."))
    existing = (
        activity.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .filter(email__iexact=email.strip())
        .first()
    )
    if existing is not None:
        return existing
    taken = activity.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    full = activity.capacity is not None and taken >= activity.capacity
    registration = Registration.objects.create(
        activity=activity,
        ambassador=ambassador,
        name=name,
        email=email.strip(),
        needs=needs,
        status=RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED,
        reminded_for=_told_start(activity),
    )
    if activity.capacity is not None and not full and taken + 1 >= activity.capacity:
        Activity.objects.filter(pk=activity.pk).update(state=ActivityState.FULL)
    _mail_registration(registration, "networks/email/registration")
    return registration


def _mail_registration(registration: Registration, template: str) -> None:
    message = build_email(
        to=registration.email,
        template=template,
        context={
            "registration": registration,
            "activity": registration.activity,
            "cancel_link": absolute_url(registration.get_cancel_url()),
            "ticket_link": absolute_url(registration.get_ticket_url()),
            "activity_link": absolute_url(registration.activity.get_absolute_url()),
        },
        language=registration.ambassador.language if registration.ambassador else "da",
    )
    if registration.status == RegistrationStatus.REGISTERED:
        message.attach(
            "billet-qr.png", ticket_qr(registration=registration, kind="png"), "image/png"
        )
    send_after_commit(message)


def ticket_qr(*, registration: Registration, kind: str) -> bytes:
    """The ticket's QR code, as "png" (the e-mail) or "svg" (the ticket page).

    It holds only the short check-in code, nothing personal. Always a regular QR code:
    `segno.make` would pick a Micro QR code for eight characters, which the door scanner's jsQR
    and most phone cameras cannot read.
    """
    import io

    import segno

    out = io.BytesIO()
    extra = {"xmldecl": False} if kind == "svg" else {}
    segno.make_qr(registration.checkin_code, error="m").save(
        out, kind=kind, scale=8, border=4, dark="#000000", light="#ffffff", **extra
    )
    return out.getvalue()


def _told_start(activity: Activity):
    """The start a mail sent now tells the person, when it stands in for the reminder: a
    confirmation inside the reminder window states the time, and a reminder minutes after it
    would only repeat it."""
    return activity.start_as_told if activity.remind_at <= timezone.now() else None


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration | None:
    """Give up a place; the first on the waiting list moves up and is told by e-mail.

    Returns the promoted registration, if any.
    """
    activity = Activity.objects.select_for_update().get(pk=registration.activity_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return None
    had_seat = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    if not had_seat:
        return None
    promoted = waitlist_promote(activity=activity)
    return promoted[0] if promoted else None


@transaction.atomic
def waitlist_promote(*, activity: Activity) -> list[Registration]:
    """Fill every free seat from the waiting list, first registered first, and tell each
    person moved up by e-mail. The one rule for seats that free up or are added: a cancelled
    place, a higher capacity, or none at all. An activity no longer open for registration
    (cancelled, held, over) moves no one up. Keeps the state "full" in step with the seats.

    Returns the registrations moved up, in order."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.state not in (ActivityState.OPEN, ActivityState.FULL):
        return []
    if activity.ends_at < timezone.now():
        return []
    taken = activity.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    waiting = activity.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
        "created_at", "pk"
    )
    if activity.capacity is not None:
        waiting = waiting[: max(activity.capacity - taken, 0)]
    promoted = list(waiting)
    told = _told_start(activity)
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.reminded_for = told
        registration.save(update_fields=["status", "reminded_for"])
        _mail_registration(registration, "networks/email/registration_promoted")
    full = activity.capacity is not None and taken + len(promoted) >= activity.capacity
    state = ActivityState.FULL if full else ActivityState.OPEN
    if activity.state != state:
        Activity.objects.filter(pk=activity.pk).update(state=state)
    return promoted


@transaction.atomic
def attendance_mark(*, registration: Registration, attended: bool = True) -> None:
    """Check someone in at the door; for an ambassador it counts as taking part."""
    if registration.attended == attended:
        return
    registration.attended = attended
    registration.save(update_fields=["attended"])
    if registration.ambassador_id and attended:
        Participation.objects.create(
            ambassador_id=registration.ambassador_id,
            kind=ParticipationKind.ACTIVITY,
            occurred_on=timezone.localdate(registration.activity.starts_at),
            description=registration.activity.title[:200],
        )


class CheckinResult:
    OK = "ok"
    ALREADY = "already"
    OTHER_ACTIVITY = "other_activity"
    NO_PLACE = "no_place"
    UNKNOWN = "unknown"


@transaction.atomic
def checkin_by_code(*, activity: Activity, code: str) -> tuple[str, Registration | None]:
    """Check in the holder of a ticket code at the door. A code of another activity, one
    already used, or one without a place (waiting list, cancelled) is refused."""
    code = normalise_checkin_code(code)
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("activity")
        .filter(checkin_code=code)
        .first()
        if code
        else None
    )
    if registration is None:
        return CheckinResult.UNKNOWN, None
    if registration.activity_id != activity.pk:
        return CheckinResult.OTHER_ACTIVITY, registration
    if registration.status != RegistrationStatus.REGISTERED:
        return CheckinResult.NO_PLACE, registration
    if registration.attended:
        return CheckinResult.ALREADY, registration
    attendance_mark(registration=registration, attended=True)
    return CheckinResult.OK, registration


def registrations_forget_needs(*, now=None) -> int:
    """Needs (health, diet) are deleted 30 days after the activity."""
    cutoff = (now or timezone.now()) - timedelta(days=30)
    return (
        Registration.objects.filter(activity__ends_at__lt=cutoff).exclude(needs="").update(needs="")
    )


@transaction.atomic
def activity_invite_ambassadors(*, activity: Activity) -> int:
    """Invite every confirmed, not lapsed ambassador who accepts e-mail from us, in one go.

    The mails go out in the background. Inviting again only adds ambassadors who were not
    invited yet.
    """
    from networks.tasks import send_activity_invitations

    recipients = Ambassador.objects.newsletter_recipients().values_list("pk", flat=True)
    before = activity.invitations.count()
    ActivityInvitation.objects.bulk_create(
        (ActivityInvitation(activity=activity, ambassador_id=pk) for pk in recipients.iterator()),
        ignore_conflicts=True,
        batch_size=1000,
    )
    added = activity.invitations.count() - before
    transaction.on_commit(lambda: send_activity_invitations.enqueue(activity.pk))
    activity_reminders_schedule(activity=activity)
    return added


def activity_reminders_schedule(*, activity: Activity) -> None:
    """After the commit, enqueue the reminder run for the activity's current start: at once
    when the start is already within ACTIVITY_REMINDER_DAYS, else for the moment it will be.

    Call it whenever an activity is created, moved or reopened. Who gets a reminder is decided
    when the run runs (`Registration.objects.reminder_due`), so a run left over from an earlier
    start sends nothing, and `resume_sending` catches any run that was never made."""
    from networks.tasks import send_activity_reminders

    now = timezone.now()
    if activity.state not in (ActivityState.OPEN, ActivityState.FULL) or activity.starts_at <= now:
        return
    task = send_activity_reminders
    if activity.remind_at > now:
        task = task.using(run_after=activity.remind_at)
    transaction.on_commit(lambda: task.enqueue(activity.pk))
