"""Privacy items 2-6 and 8: consent records, export, erasure without a trace, retention with time
travel, and the audit trail of staff reads, exports and deletions."""

import json
import logging
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import Ambassador, ConsentRecord
from ambassadors.tokens import make_token
from networks.models import Ball, Registration
from tests.ambassadors.factories import AmbassadorFactory, UnconfirmedAmbassadorFactory
from tests.evaluation.factories import ActivityFactory
from tests.networks.factories import BallFactory
from udsathed.retention import retention_apply

EMAIL = "Slet.Mig.Helt@Example.dk"


def text_columns_containing(needle: str) -> list[str]:
    """Every column of every table in the database (any type, cast to text) holding `needle`,
    and the decoded session data, which is stored signed and encoded."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() "
            "AND table_name IN (SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')"
        )
        columns = cursor.fetchall()
        hits = []
        for table, column in columns:
            # Table and column names come from the catalogue, quoted; the needle is a parameter.
            table, column = connection.ops.quote_name(table), connection.ops.quote_name(column)
            query = f"SELECT 1 FROM {table} WHERE {column}::text ILIKE %s LIMIT 1"  # noqa: S608
            cursor.execute(query, [f"%{needle}%"])
            if cursor.fetchone():
                hits.append(f"{table}.{column}")
    assert len(columns) > 200
    for session in Session.objects.all():
        if needle.lower() in json.dumps(session.get_decoded()).lower():
            hits.append(f"django_session #{session.pk} (decoded)")
    return hits


def sign_up_and_log_in(client):
    response = client.post(
        reverse("ambassadors:ambassador-signup"),
        {
            "kind": "citizen",
            "name": "Sletmig Jensen",
            "email": EMAIL,
            "phone": "22334455",
            "postcode": "7000",
            "accept_privacy": "on",
            "accepts_newsletter": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    ambassador = Ambassador.objects.get(email__iexact=EMAIL)
    client.get(reverse("ambassadors:ambassador-confirm", args=[make_token(ambassador, "confirm")]))
    client.get(reverse("ambassadors:ambassador-login", args=[make_token(ambassador, "login")]))
    return ambassador


def test_sign_up_records_what_was_agreed_when_and_where(client, fredericia):
    ambassador = sign_up_and_log_in(client)
    records = ConsentRecord.objects.filter(ambassador=ambassador)
    assert records.filter(granted=True).exists()
    assert all(r.text_version and r.source and r.created_at for r in records)


def test_the_export_holds_everything_and_only_the_persons_data(client, fredericia):
    ambassador = sign_up_and_log_in(client)
    response = client.get(reverse("ambassadors:ambassador-export"))
    assert response.status_code == 200
    assert "no-store" in response.get("Cache-Control", "")
    data = json.loads(response.content)
    text = json.dumps(data, ensure_ascii=False)
    assert ambassador.email in text and "Sletmig Jensen" in text and "22334455" in text
    assert "consent" in text.lower()


def test_after_erasure_the_email_is_in_no_text_column_of_any_table(
    client, fredericia, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ambassador = sign_up_and_log_in(client)
        client.get(reverse("ambassadors:ambassador-self"))
        client.get(reverse("ambassadors:ambassador-export"))
    assert text_columns_containing(EMAIL), "the search must find the e-mail before erasure"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ambassadors:ambassador-withdraw"))
    assert response.status_code in {200, 302}
    assert text_columns_containing(EMAIL) == []
    assert text_columns_containing("Sletmig Jensen") == []
    assert text_columns_containing("22334455") == []
    ambassador.refresh_from_db()
    assert ambassador.erased_at is not None
    # The old magic link and the session both ended.
    assert client.get(reverse("ambassadors:ambassador-self")).status_code == 302


@pytest.fixture
def now():
    return timezone.now()


def test_retention_deletes_unconfirmed_sign_ups_after_seven_days(db, now):
    young = UnconfirmedAmbassadorFactory(created_at=now - timedelta(days=6))
    old = UnconfirmedAmbassadorFactory(created_at=now - timedelta(days=8))
    confirmed = AmbassadorFactory(created_at=now - timedelta(days=400))
    retention_apply(now=now)
    assert set(Ambassador.objects.values_list("pk", flat=True)) == {young.pk, confirmed.pk}
    assert not Ambassador.objects.filter(pk=old.pk).exists()


def test_retention_forgets_registration_needs_thirty_days_after_the_activity(db, now):
    past = ActivityFactory(starts_at=now - timedelta(days=32))
    recent = ActivityFactory(starts_at=now - timedelta(days=20))
    for activity in (past, recent):
        Registration.objects.create(
            activity=activity, name="Deltager", email="d@example.dk", needs="Kørestol"
        )
    retention_apply(now=now)
    assert Registration.objects.get(activity=past).needs == ""
    assert Registration.objects.get(activity=recent).needs == "Kørestol"


def test_retention_erases_ball_senders_contact_details_after_the_set_time(db, now, settings):
    settings.RETENTION_BALL_CONTACT_DAYS = 90
    old = BallFactory(state="closed", closed_at=now - timedelta(days=91), contact_name="Ib")
    recent = BallFactory(state="closed", closed_at=now - timedelta(days=89), contact_name="Bo")
    open_ball = BallFactory(contact_name="Al")
    retention_apply(now=now)
    old.refresh_from_db()
    assert (old.contact_email, old.contact_name, old.contact_phone) == ("", "", "")
    assert old.contact_erased_at is not None
    assert Ball.objects.get(pk=recent.pk).contact_email
    assert Ball.objects.get(pk=open_ball.pk).contact_email
    # Time travel: a year on, the recent one has gone the same way.
    retention_apply(now=now + timedelta(days=365))
    assert Ball.objects.get(pk=recent.pk).contact_email == ""


def test_retention_erases_lapsed_ambassadors_after_the_set_time(db, now, settings):
    settings.RETENTION_LAPSED_AMBASSADOR_DAYS = 365
    long_lapsed = AmbassadorFactory(lapsed_at=now - timedelta(days=366))
    lapsed = AmbassadorFactory(lapsed_at=now - timedelta(days=10))
    active = AmbassadorFactory()
    counts = retention_apply(now=now)
    assert counts["lapsed_ambassadors_erased"] == 1
    long_lapsed.refresh_from_db()
    assert long_lapsed.erased_at and long_lapsed.email == ""
    assert Ambassador.objects.get(pk=lapsed.pk).erased_at is None
    assert Ambassador.objects.get(pk=active.pk).erased_at is None


def test_the_apply_retention_command_runs_every_rule(db, capsys):
    UnconfirmedAmbassadorFactory(created_at=timezone.now() - timedelta(days=30))
    call_command("apply_retention")
    out = capsys.readouterr().out
    for rule in [
        "unconfirmed_deleted: 1",
        "registration_needs_forgotten",
        "ball_contacts_erased",
        "lapsed_ambassadors_erased",
    ]:
        assert rule in out


def audit_messages(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "portal.audit"]


def test_staff_reads_exports_and_deletions_leave_an_audit_trail(project_leader, caplog):
    caplog.set_level(logging.INFO, logger="portal.audit")
    ambassador = AmbassadorFactory(email="privat@example.dk")
    ball = BallFactory(contact_email="afsender.privat@example.dk")
    client = Client()
    client.force_login(project_leader)
    assert (
        client.get(reverse("admin:ambassadors_ambassador_change", args=[ambassador.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:networks_ball_change", args=[ball.pk])).status_code == 200
    client.post(
        reverse("admin:ambassadors_ambassador_changelist"),
        {"action": "export_csv", "_selected_action": [ambassador.pk]},
    )
    client.post(reverse("admin:networks_ball_delete", args=[ball.pk]), {"post": "yes"})
    messages = audit_messages(caplog)
    joined = "\n".join(messages)
    assert f"view ambassadors.ambassador id={ambassador.pk}" in joined
    assert f"view networks.ball id={ball.pk}" in joined
    assert "export ambassadors.ambassador id= rows=1" in joined
    assert f"delete networks.ball id={ball.pk}" in joined
    assert f"user={project_leader.pk}" in joined and "addr=127.0.0.1" in joined
    assert "privat@example.dk" not in joined


# Erasure in every app, and an export that holds all of it (privacy items 3 and 4) -------------

NAME = "Zorblaxa Quenty"
PERSON_EMAIL = "Zorblaxa.Quenty.7731@Example.dk"
PHONE = "+45 87 65 43 21"
# The whole values, their parts, and the ways a phone number or an e-mail may be rewritten.
MARKERS = [NAME, PERSON_EMAIL, PHONE, "Zorblaxa", "Quenty", "87 65 43 21", "87654321"]


def give_one_of_everything(client, *, name=NAME, email=PERSON_EMAIL, phone=PHONE):
    """A person with one of everything a person can have in the portal, each made the way the
    portal makes it; `client` ends up logged in on Min side as them. Returns the ambassador and
    the rows made, by kind."""
    from django.contrib.admin.models import CHANGE, LogEntry

    from ambassadors import services as ambassador_services
    from ambassadors.models import Newsletter, NewsletterDelivery
    from ambassadors.services.newsletters import newsletter_start_sending
    from evaluation.models import QuestionKind
    from evaluation.services import response_submit, round_add_respondents
    from networks import services as network_services
    from networks.models import ActivityState, Invitation
    from tests.ambassadors.factories import (
        CertificateFactory,
        ConsentRecordFactory,
        ParticipationFactory,
    )
    from tests.evaluation.factories import EvaluationRoundFactory, QuestionFactory
    from tests.factories import UserFactory
    from tests.networks.factories import MembershipFactory, NetworkFactory
    from tests.pictures import jpeg
    from udsathed.core.pictures import reencode_picture

    now = timezone.now()
    ambassador = AmbassadorFactory(name=name, email=email, phone=phone)
    ambassador_services.ambassador_update(  # a second history row, with the phone
        ambassador=ambassador,
        data={"skills": "Jeg kan bage kage."},
        themes=[],
        core_areas=[],
    )
    ConsentRecordFactory(ambassador=ambassador)
    certificate = CertificateFactory(ambassador=ambassador)
    ParticipationFactory(ambassador=ambassador, description=f"Stormøde, ordstyrer {name}")
    pending_story = ambassador_services.story_submit(
        ambassador=ambassador,
        title="Kaffe i varmestuen",
        text="Vi lavede kaffe hver tirsdag.",
        use="both",
        people_consented=True,
        pictures=[(reencode_picture(jpeg()), "Kaffekander på et bord")],
    )
    used_story = ambassador_services.story_submit(
        ambassador=ambassador, title="Grill i parken", text="80 gæster.", use="both",
        people_consented=False,
    )  # fmt: skip
    ambassador_services.story_accept(story=used_story)
    newsletter = Newsletter.objects.create(title="Nyt fra strategien", body="Hej alle")
    newsletter_start_sending(newsletter=newsletter)
    delivery = NewsletterDelivery.objects.get(newsletter=newsletter, ambassador=ambassador)

    network = NetworkFactory()
    membership = MembershipFactory(
        network=network, ambassador=ambassador, mandate=f"{name} må indkalde til møder."
    )
    ball = network_services.ball_submit(
        kind="idea",
        title="Flere bænke ved havnen",
        description="Der mangler steder at sidde.",
        contact_name=name,
        contact_email=email.upper(),
        contact_phone=phone,
        contact_consent=True,
    )
    other_network = NetworkFactory()
    network_services.invitations_send(network=other_network, ambassadors=[ambassador], ball=ball)
    invitation = Invitation.objects.get(ambassador=ambassador)
    upcoming = ActivityFactory(
        state=ActivityState.OPEN,
        starts_at=now + timedelta(days=20),
        capacity=1,
    )
    network_services.activity_invite_ambassadors(activity=upcoming)
    linked = network_services.registration_create(
        activity=upcoming, name=name, email=email, needs="Kørestol", ambassador=ambassador
    )
    held = ActivityFactory(starts_at=now - timedelta(days=3))
    unlinked = Registration.objects.create(  # signed up at the door, not logged in
        activity=held, name=name, email=email.lower(), needs="Glutenfri", attended=True
    )
    questionnaire = EvaluationRoundFactory()
    question = QuestionFactory(round=questionnaire, kind=QuestionKind.TEXT)
    only_them = Ambassador.objects.filter(pk=ambassador.pk)
    round_add_respondents(round=questionnaire, ambassadors=only_them)
    respondent = questionnaire.respondents.get()
    response_submit(respondent=respondent, answers={question.pk: "Godt at være med."})
    later = EvaluationRoundFactory()
    round_add_respondents(round=later, ambassadors=only_them)

    # A member of staff changed some of it in the admin: the log names each object.
    staff = UserFactory(is_staff=True)
    for obj in (ambassador, certificate, membership, invitation, linked, unlinked, respondent):
        LogEntry.objects.log_actions(staff.pk, [obj], CHANGE, "Changed.")

    client.get(reverse("ambassadors:ambassador-login", args=[make_token(ambassador, "login")]))
    return ambassador, {
        "pending_story": pending_story,
        "used_story": used_story,
        "delivery": delivery,
        "membership": membership,
        "ball": ball,
        "invitation": invitation,
        "upcoming": upcoming,
        "linked": linked,
        "held": held,
        "unlinked": unlinked,
        "respondent": respondent,
    }


def test_erasure_leaves_no_trace_in_any_table(
    client, fredericia, django_capture_on_commit_callbacks
):
    from ambassadors.models import DeliveryStatus
    from networks.models import InvitationState, MembershipState, RegistrationStatus

    with django_capture_on_commit_callbacks(execute=True):
        ambassador, rows = give_one_of_everything(client)
        assert client.get(reverse("ambassadors:ambassador-self")).status_code == 200
        client.get(reverse("ambassadors:ambassador-export"))
    # The search sees the person where the portal keeps them, so an empty answer means erased.
    found = set(text_columns_containing(NAME)) | set(text_columns_containing(PERSON_EMAIL))
    for column in [
        '"ambassadors_ambassador"."name"',
        '"ambassadors_historicalambassador"."email"',
        '"ambassadors_certificate"."holder_name"',
        '"networks_registration"."email"',
        '"networks_registration"."name"',
        '"networks_ball"."contact_email"',
        '"networks_membership"."mandate"',
        '"django_admin_log"."object_repr"',
    ]:
        assert column in found, column
    assert text_columns_containing(PHONE)
    old_links = [
        reverse("networks:registration-ticket", kwargs={"token": rows["linked"].token}),
        reverse("networks:registration-cancel", kwargs={"token": rows["unlinked"].token}),
        reverse("networks:invitation-answer", kwargs={"token": rows["invitation"].token}),
        reverse("evaluation:response-create", kwargs={"token": rows["respondent"].token}),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ambassadors:ambassador-withdraw"))
    assert response.status_code == 200

    left = {marker: text_columns_containing(marker) for marker in MARKERS}
    assert left == dict.fromkeys(MARKERS, [])
    ambassador.refresh_from_db()
    assert ambassador.erased_at is not None
    # What is left still counts, without a name: who came, who was a member, who was asked.
    held = rows["unlinked"]
    held.refresh_from_db()
    assert (held.status, held.attended, held.name, held.needs) == ("registered", True, "", "")
    linked = rows["linked"]
    linked.refresh_from_db()
    assert linked.status == RegistrationStatus.CANCELLED and linked.ambassador_id == ambassador.pk
    rows["membership"].refresh_from_db()
    assert rows["membership"].state == MembershipState.LEFT
    rows["invitation"].refresh_from_db()
    assert rows["invitation"].state == InvitationState.DECLINED
    rows["delivery"].refresh_from_db()
    assert rows["delivery"].status == DeliveryStatus.SKIPPED
    rows["ball"].refresh_from_db()
    assert rows["ball"].contact_erased_at is not None and rows["ball"].title
    rows["respondent"].refresh_from_db()
    assert rows["respondent"].answered_at is not None
    assert not hasattr(rows["respondent"], "response") or rows["respondent"].response is None
    # Every old link is dead: Min side, the ticket, the invitation and the questionnaire.
    assert client.get(reverse("ambassadors:ambassador-self")).status_code == 302
    for url in old_links:
        assert Client().get(url).status_code == 404, url


def test_export_holds_registrations_memberships_invitations_deliveries_stories_and_questionnaires(
    client, fredericia, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        give_one_of_everything(
            Client(), name="Other Persson", email="other.persson@example.dk", phone="+4511223344"
        )
        ambassador, rows = give_one_of_everything(client)
    response = client.get(reverse("ambassadors:ambassador-export"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mine-data.json"'
    data = json.loads(response.content)
    for section in [
        "ambassador",
        "certificates",
        "consents",
        "stories",
        "participation",
        "newsletter_deliveries",
        "registrations",
        "memberships",
        "network_invitations",
        "activity_invitations",
        "balls",
        "questionnaire_requests",
    ]:
        assert data.get(section), section
    # Both registrations: through the ambassador link and with the same e-mail without it.
    registrations = {r["activity"]: r for r in data["registrations"]}
    assert registrations[rows["upcoming"].title]["needs"] == "Kørestol"
    assert registrations[rows["held"].title]["needs"] == "Glutenfri"
    assert registrations[rows["held"].title]["attended"] is True
    assert [m["mandate"] for m in data["memberships"]] == [f"{NAME} må indkalde til møder."]
    assert data["balls"][0]["contact_phone"] == PHONE
    assert {len(data["questionnaire_requests"])} == {2}
    answered = [q for q in data["questionnaire_requests"] if q["answered"]]
    assert [a["answer"] for a in answered[0]["answers"]] == ["Godt at være med."]
    assert {s["title"] for s in data["stories"]} == {"Kaffe i varmestuen", "Grill i parken"}
    # And nothing of anyone else's.
    text = json.dumps(data, ensure_ascii=False)
    assert PERSON_EMAIL in text and NAME in text and PHONE in text
    for marker in ["Other Persson", "other.persson", "11223344"]:
        assert marker not in text


def test_erasing_two_people_who_came_to_one_activity_keeps_its_counts(db, committed):
    from ambassadors.services import ambassador_erase
    from networks.models import Activity

    held = ActivityFactory(starts_at=timezone.now() - timedelta(days=2))
    people = [AmbassadorFactory(), AmbassadorFactory()]
    for person in people:
        Registration.objects.create(
            activity=held, ambassador=person, name=person.name, email=person.email, attended=True
        )
    Registration.objects.create(activity=held, name="Bo", email="bo@example.dk")
    for person in people:  # the blank-e-mail rows of both must fit the unique constraint
        committed(ambassador_erase, ambassador=person)
    counted = Activity.objects.with_counts().get(pk=held.pk)
    assert counted.registered_count == 3
    assert held.registrations.filter(attended=True).count() == 2
    erased = held.registrations.filter(name="")
    assert len({r.email for r in erased}) == 2
    assert all(r.email.endswith("@erased.invalid") for r in erased)
    assert held.registrations.get(name="Bo").email == "bo@example.dk"


def test_erasure_gives_an_upcoming_place_to_the_waiting_list(db, committed, mailoutbox):
    from ambassadors.services import ambassador_erase
    from networks.models import ActivityState, RegistrationStatus
    from networks.services import registration_create

    activity = ActivityFactory(
        state=ActivityState.OPEN, starts_at=timezone.now() + timedelta(days=5), capacity=1
    )
    person = AmbassadorFactory()
    committed(
        registration_create,
        activity=activity,
        name=person.name,
        email=person.email,
        ambassador=person,
    )
    waiting = committed(registration_create, activity=activity, name="Eva", email="eva@example.dk")
    assert waiting.status == RegistrationStatus.WAITLISTED
    mailoutbox.clear()
    committed(ambassador_erase, ambassador=person)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    assert [m.to for m in mailoutbox] == [["eva@example.dk"]]
