"""Writes about ambassadors: sign-up, confirmation, profile edits, consents, the yearly check,
the data export and erasure."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import (
    INVITATION_RETENTION,
    PROFILE_FIELDS,
    Ambassador,
    Certificate,
    ConsentKind,
    ConsentRecord,
    DeliveryStatus,
    Participation,
    StoryState,
)
from ambassadors.services.certificates import certificate_issue
from ambassadors.services.stories import story_delete
from ambassadors.signals import ambassador_erased, ambassador_exporting
from ambassadors.tokens import make_token
from themes.models import CoreArea, Theme
from udsathed.core.adminlog import admin_log_forget
from udsathed.core.mail import absolute_url, build_email, send_after_commit

logger = logging.getLogger(__name__)


def _link(name: str, token: str) -> str:
    return absolute_url(reverse(name, kwargs={"token": token}))


def consent_record(
    *, ambassador: Ambassador, kind: str, granted: bool, source: str
) -> ConsentRecord:
    """Record that a consent was given or withdrawn, with the notice version and the form."""
    return ConsentRecord.objects.create(
        ambassador=ambassador,
        kind=kind,
        granted=granted,
        text_version=settings.PRIVACY_NOTICE_VERSION,
        source=source,
    )


def _record_consent_changes(ambassador: Ambassador, before: dict[str, bool], source: str) -> None:
    for kind, field in (
        (ConsentKind.NEWSLETTER, "accepts_newsletter"),
        (ConsentKind.DIRECTORY, "show_in_directory"),
    ):
        now = getattr(ambassador, field)
        if before.get(field) != now:
            consent_record(ambassador=ambassador, kind=kind, granted=now, source=source)


@transaction.atomic
def ambassador_sign_up(
    *,
    kind: str,
    name: str,
    email: str,
    postcode: str,
    themes: Iterable[Theme] = (),
    core_areas: Iterable[CoreArea] = (),
    phone: str = "",
    organisation_name: str = "",
    description: str = "",
    website: str = "",
    skills: str = "",
    show_in_directory: bool = False,
    accepts_newsletter: bool = False,
    language: str = "da",
    source: str = "sign-up form",
) -> Ambassador:
    """Sign up, or, for a known address, send a fresh link and create nothing new.

    The caller shows the same message either way, so the form does not reveal who is signed up.
    An unconfirmed sign-up is updated with the new details; a confirmed ambassador is only sent
    a link to their page. Two sign-ups with one address at the same instant make one row.
    """
    email = email.strip()
    existing = Ambassador.objects.not_erased().filter(email__iexact=email).first()
    if existing is None:
        ambassador = Ambassador(
            kind=kind,
            name=name,
            email=email,
            phone=phone,
            postcode=postcode,
            organisation_name=organisation_name,
            description=description,
            website=website,
            skills=skills,
            show_in_directory=show_in_directory,
            accepts_newsletter=accepts_newsletter,
            language=language,
        )
        ambassador.full_clean(validate_constraints=False)  # the organisation rule, among others
        try:
            with transaction.atomic():
                ambassador.save()
        except IntegrityError:
            # Lost a race with an identical sign-up: treat it as a known address.
            existing = Ambassador.objects.not_erased().get(email__iexact=email)
        else:
            ambassador.themes.set(themes)
            ambassador.core_areas.set(core_areas)
            consent_record(
                ambassador=ambassador, kind=ConsentKind.PRIVACY, granted=True, source=source
            )
            nothing_agreed = {"accepts_newsletter": False, "show_in_directory": False}
            _record_consent_changes(ambassador, nothing_agreed, source)
            ambassador_send_confirmation(ambassador=ambassador)
            return ambassador

    if existing.confirmed_at is None:
        before = {
            "accepts_newsletter": existing.accepts_newsletter,
            "show_in_directory": existing.show_in_directory,
        }
        for field, value in {
            "kind": kind,
            "name": name,
            "phone": phone,
            "postcode": postcode,
            "organisation_name": organisation_name,
            "description": description,
            "website": website,
            "skills": skills,
            "show_in_directory": show_in_directory,
            "accepts_newsletter": accepts_newsletter,
            "language": language,
        }.items():
            setattr(existing, field, value)
        existing.full_clean(validate_constraints=False)
        existing.save()
        existing.themes.set(themes)
        existing.core_areas.set(core_areas)
        consent_record(ambassador=existing, kind=ConsentKind.PRIVACY, granted=True, source=source)
        _record_consent_changes(existing, before, source)
        ambassador_send_confirmation(ambassador=existing)
    else:
        ambassador_send_login_link(ambassador=existing, already_signed_up=True)
    return existing


def ambassador_send_confirmation(*, ambassador: Ambassador) -> None:
    """Mail a fresh confirmation link (valid for CONFIRMATION_LINK_MAX_AGE)."""
    token = make_token(ambassador, "confirm")
    message = build_email(
        to=ambassador.email,
        template="ambassadors/email/confirm",
        context={
            "ambassador": ambassador,
            "link": _link("ambassadors:ambassador-confirm", token),
            "days": settings.CONFIRMATION_LINK_MAX_AGE.days,
        },
        language=ambassador.language,
    )
    send_after_commit(message)


def ambassador_send_login_link(*, ambassador: Ambassador, already_signed_up: bool = False) -> None:
    """Mail a link to 'Min side' (valid for MAGIC_LINK_MAX_AGE)."""
    token = make_token(ambassador, "login")
    message = build_email(
        to=ambassador.email,
        template="ambassadors/email/login",
        context={
            "ambassador": ambassador,
            "link": _link("ambassadors:ambassador-login", token),
            "minutes": int(settings.MAGIC_LINK_MAX_AGE.total_seconds() // 60),
            "already_signed_up": already_signed_up,
        },
        language=ambassador.language,
    )
    send_after_commit(message)


@transaction.atomic
def ambassador_confirm(*, ambassador: Ambassador) -> Certificate:
    """Confirm the e-mail address: the ambassador counts from now on and gets a certificate.

    Confirming twice is harmless: the existing certificate is returned.
    """
    ambassador = Ambassador.objects.select_for_update().get(pk=ambassador.pk)
    if ambassador.confirmed_at is None:
        now = timezone.now()
        ambassador.confirmed_at = now
        ambassador.last_confirmed_at = now
        ambassador.save(update_fields=["confirmed_at", "last_confirmed_at"])
        certificate = certificate_issue(ambassador=ambassador)
        message = build_email(
            to=ambassador.email,
            template="ambassadors/email/welcome",
            context={
                "ambassador": ambassador,
                "certificate": certificate,
                "verify_link": absolute_url(certificate.get_absolute_url()),
                "login_link": _link(
                    "ambassadors:ambassador-login", make_token(ambassador, "login")
                ),
            },
            language=ambassador.language,
        )
        send_after_commit(message)
        return certificate
    return ambassador.current_certificate or certificate_issue(ambassador=ambassador)


@transaction.atomic
def ambassador_update(
    *,
    ambassador: Ambassador,
    data: dict,
    themes: Iterable[Theme],
    core_areas: Iterable[CoreArea],
    source: str = "self-service",
) -> Ambassador:
    """Save the ambassador's own edits; consent changes are recorded."""
    # Compare with what is stored: a ModelForm has already copied its data onto the instance.
    before = (
        Ambassador.objects.filter(pk=ambassador.pk)
        .values("accepts_newsletter", "show_in_directory")
        .get()
    )
    for field in [*PROFILE_FIELDS, "accepts_newsletter", "show_in_directory"]:
        if field in data:
            setattr(ambassador, field, data[field])
    ambassador.full_clean(validate_constraints=False)
    ambassador.save()
    ambassador.themes.set(themes)
    ambassador.core_areas.set(core_areas)
    _record_consent_changes(ambassador, before, source)
    return ambassador


@transaction.atomic
def ambassador_newsletter_opt_out(*, ambassador: Ambassador, source: str) -> None:
    """One click: no more newsletters from now on."""
    if ambassador.accepts_newsletter:
        ambassador.accepts_newsletter = False
        ambassador.save(update_fields=["accepts_newsletter"])
        consent_record(
            ambassador=ambassador, kind=ConsentKind.NEWSLETTER, granted=False, source=source
        )


@transaction.atomic
def ambassador_reconfirm(*, ambassador: Ambassador) -> None:
    """'I want to stay an ambassador': counts again from now, also after lapsing."""
    now = timezone.now()
    ambassador.last_confirmed_at = now
    ambassador.lapsed_at = None
    if ambassador.confirmed_at is None:
        ambassador.confirmed_at = now
    ambassador.save(update_fields=["last_confirmed_at", "lapsed_at", "confirmed_at"])


def ambassador_request_reconfirmation(*, ambassador: Ambassador) -> None:
    ambassador.reconfirmation_requested_at = timezone.now()
    ambassador.save(update_fields=["reconfirmation_requested_at"])
    message = build_email(
        to=ambassador.email,
        template="ambassadors/email/stay",
        context={
            "ambassador": ambassador,
            "link": _link("ambassadors:ambassador-stay", make_token(ambassador, "stay")),
            "weeks": 4,
        },
        language=ambassador.language,
    )
    send_after_commit(message)


def ambassadors_run_reconfirmation(*, now=None) -> tuple[int, int]:
    """The yearly check, safe to run daily: ask who is due; lapse who did not answer in time."""
    asked = 0
    for ambassador in Ambassador.objects.due_for_reconfirmation(now).iterator():
        with transaction.atomic():
            ambassador_request_reconfirmation(ambassador=ambassador)
        asked += 1
    lapsed = Ambassador.objects.overdue_reconfirmation(now).update(lapsed_at=now or timezone.now())
    return asked, lapsed


def ambassadors_delete_expired_unconfirmed(*, now=None) -> int:
    """Sign-ups never confirmed within 7 days are deleted (data minimisation)."""
    deleted, _ = Ambassador.objects.expired_unconfirmed(now).delete()
    return deleted


def ambassador_export(*, ambassador: Ambassador) -> dict:
    """Everything the portal holds about the person, for a data-access request (JSON).

    This app's own rows are listed here; the apps above it (registrations, memberships,
    invitations, balls sent with the e-mail, questionnaire requests) add their sections by
    answering the `ambassador_exporting` signal with {section: rows}. Only rows linked to the
    ambassador or made with their e-mail address (which they proved to log in) are included.
    """

    def when(value):
        return value.isoformat() if value else None

    data = {
        "exported_at": timezone.now().isoformat(),
        "ambassador": {
            "kind": ambassador.kind,
            "name": ambassador.name,
            "email": ambassador.email,
            "phone": ambassador.phone,
            "postcode": ambassador.postcode,
            "organisation_name": ambassador.organisation_name,
            "description": ambassador.description,
            "website": ambassador.website,
            "skills": ambassador.skills,
            "language": ambassador.language,
            "show_in_directory": ambassador.show_in_directory,
            "accepts_newsletter": ambassador.accepts_newsletter,
            "themes": [str(theme) for theme in ambassador.themes.all()],
            "core_areas": [str(area) for area in ambassador.core_areas.all()],
            "signed_up": when(ambassador.created_at),
            "confirmed": when(ambassador.confirmed_at),
            "last_confirmed": when(ambassador.last_confirmed_at),
            "lapsed": when(ambassador.lapsed_at),
        },
        "certificates": [
            {
                "number": c.number,
                "issued_to": c.holder_name,
                "strategy": c.strategy_name,
                "issued": when(c.issued_at),
                "revoked": when(c.revoked_at),
            }
            for c in ambassador.certificates.all()
        ],
        "consents": [
            {
                "consent": c.kind,
                "granted": c.granted,
                "text_version": c.text_version,
                "given_through": c.source,
                "time": when(c.created_at),
            }
            for c in ambassador.consents.all()
        ],
        "stories": [
            {
                "title": story.title,
                "text": story.text,
                "state": story.state,
                "sent": when(story.submitted_at),
                "decline_reason": story.decline_reason,
            }
            for story in ambassador.stories.all()
        ],
        "participation": [
            {"kind": p.kind, "date": p.occurred_on.isoformat(), "what": p.description}
            for p in ambassador.participations.all()
        ],
        "newsletter_deliveries": [
            {
                "newsletter": d.newsletter.title,
                "status": d.status,
                "sent": when(d.sent_at),
            }
            for d in ambassador.newsletter_deliveries.select_related("newsletter").order_by("pk")
        ],
    }
    for receiver, sections in ambassador_exporting.send(
        sender=Ambassador, ambassador=ambassador, email=ambassador.email
    ):
        for name, rows in sections.items():
            if name in data:
                raise ValueError(f"Export section {name!r} given twice (by {receiver!r})")
            data[name] = rows
    return data


@transaction.atomic
def ambassador_erase(*, ambassador: Ambassador, source: str = "self-service") -> None:
    """Withdraw: empty every personal field in place, end all links, keep nameless statistics.

    The row stays (kind, interests and dates still count in history-free statistics), but the
    name, e-mail, phone, postcode and organisation texts are gone, certificates are revoked and
    stripped of the name, and the change history holding the old values is deleted. Pending
    newsletter deliveries are skipped, and the admin's change log names the row by number.

    The person's rows in the apps above this one (registrations, also those made with the same
    e-mail without the link; memberships; invitations; the contact details of balls sent with
    the e-mail; questionnaire requests) are erased by those apps, which receive the
    `ambassador_erased` signal here, in this transaction and before the fields are emptied, so
    they still get the old e-mail, name and phone; if any of them fails, nothing is erased.
    """
    ambassador = Ambassador.objects.select_for_update().get(pk=ambassador.pk)
    now = timezone.now()
    ambassador_erased.send(
        sender=Ambassador,
        ambassador=ambassador,
        email=ambassador.email,
        name=ambassador.name,
        phone=ambassador.phone,
        now=now,
    )
    for certificate in ambassador.certificates.all():
        certificate.revoked_at = certificate.revoked_at or now
        certificate.revoked_reason = "withdrawn"
        certificate.holder_name = ""
        certificate.save(update_fields=["revoked_at", "revoked_reason", "holder_name"])
    ambassador.name = ""
    ambassador.email = ""
    ambassador.phone = ""
    ambassador.postcode = ""
    ambassador.organisation_name = ""
    ambassador.description = ""
    ambassador.website = ""
    ambassador.skills = ""
    ambassador.show_in_directory = False
    ambassador.accepts_newsletter = False
    ambassador.erased_at = now
    ambassador.token_version = ""
    ambassador.save()
    consent_record(ambassador=ambassador, kind=ConsentKind.NEWSLETTER, granted=False, source=source)
    # The history rows hold the old name and e-mail; so do the certificates' histories.
    ambassador.history.all().delete()
    Certificate.history.filter(ambassador_id=ambassador.pk).delete()
    Participation.objects.filter(ambassador=ambassador).update(description="")
    # Stories not yet used go; accepted ones may already be published, so they lose the link.
    for story in ambassador.stories.exclude(state=StoryState.ACCEPTED):
        story_delete(story=story)
    ambassador.stories.update(ambassador=None)
    ambassador.newsletter_deliveries.filter(status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SKIPPED, sent_at=now
    )
    admin_log_forget(model=Ambassador, pks=[ambassador.pk])
    logger.info("Ambassador #%s withdrew and was erased", ambassador.pk)


def ambassador_invitation_email(
    *, ambassador: Ambassador, reminder: bool = False
) -> EmailMultiAlternatives:
    """The personal mail to someone imported from an existing list: where the address came from,
    what being an ambassador means, how to say yes or no, and when an unanswered one is deleted."""
    return build_email(
        to=ambassador.email,
        template="ambassadors/email/invitation",
        context={
            "ambassador": ambassador,
            "reminder": reminder,
            "file_name": ambassador.invited_from,
            "invited_on": timezone.localdate(ambassador.invited_at),
            "delete_on": timezone.localdate(ambassador.invited_at + INVITATION_RETENTION),
            "link": _link("ambassadors:ambassador-invitation", make_token(ambassador, "invite")),
        },
        language=ambassador.language,
    )


def ambassador_send_invitation(*, ambassador: Ambassador) -> None:
    """The invitation once more, when an invited person asks for a link themselves."""
    send_after_commit(ambassador_invitation_email(ambassador=ambassador))


@transaction.atomic
def ambassador_accept_invitation(*, ambassador: Ambassador) -> Certificate:
    """An imported person says yes: their own consent is recorded and they count from now on."""
    consent_record(
        ambassador=ambassador, kind=ConsentKind.PRIVACY, granted=True, source="invitation"
    )
    return ambassador_confirm(ambassador=ambassador)


@transaction.atomic
def ambassador_forget_invited(*, ambassador: Ambassador, source: str) -> None:
    """An imported person who said no, or never answered: erased through the normal path (so the
    apps above forget them too, by the `ambassador_erased` signal), then the row goes as well,
    since they never were an ambassador."""
    ambassador_erase(ambassador=ambassador, source=source)
    Ambassador.objects.filter(pk=ambassador.pk).delete()


def ambassadors_delete_expired_invitations(*, now=None) -> int:
    """Imported people who did not answer within INVITATION_RETENTION are deleted."""
    deleted = 0
    for ambassador in Ambassador.objects.expired_invitations(now).iterator():
        ambassador_forget_invited(ambassador=ambassador, source="retention")
        deleted += 1
    return deleted
