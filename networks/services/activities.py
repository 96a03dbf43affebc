"""Writes about activities: registrations, the waiting list, check-in at the door, invitations
and reminders."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassadors.models import Ambassador, Participation, ParticipationKind
from networks.models import (
    Activity,
    ActivityInvitation,
    ActivityState,
    Registration,
    RegistrationStatus,
    normalise_checkin_code,
)
from udsathed.core.mail import absolute_url, build_email, send_after_commit


@transaction.atomic
def registration_create(
    *,
    activity: Activity,
    name: str,
    email: str,
    needs: str = "",
    ambassador=None,
    language: str = "da",
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
        language=language,
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
        language=registration.mail_language,
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
