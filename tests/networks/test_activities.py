from datetime import timedelta
from threading import Barrier, Thread

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from ambassadors.models import Ambassador
from ambassadors.tokens import make_token
from networks import services
from networks.models import Activity, ActivityPicture, Registration
from tests.ambassadors.factories import AmbassadorFactory


def make_activity(**extra):
    start = timezone.now() + timedelta(days=14)
    values = {
        "kind": "plenary",
        "title": "Stormøde efterår",
        "description": "Vi mødes og ser frem.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "place_name": "Rådhuset",
        "address": "Gothersgade 20, 7000 Fredericia",
        "capacity": 2,
        "state": "open",
        **extra,
    }
    return Activity.objects.create(**values)


def register(activity, n, committed=None):
    call = committed or (lambda f, **kw: f(**kw))
    return call(
        services.registration_create,
        activity=activity,
        name=f"Person {n}",
        email=f"p{n}@example.dk",
    )


def test_waitlist_and_promotion(db, committed):
    activity = make_activity()
    first, second, third = (register(activity, n, committed) for n in range(3))
    assert [r.status for r in (first, second, third)] == ["registered", "registered", "waitlisted"]
    activity.refresh_from_db()
    assert activity.state == "full"
    promoted = committed(services.registration_cancel, registration=first)
    assert promoted == third
    third.refresh_from_db()
    assert third.status == "registered"
    assert "plads" in mail.outbox[-1].subject.lower() and mail.outbox[-1].to == ["p2@example.dk"]
    assert services.registration_cancel(registration=first) is None  # twice is harmless


def test_same_email_registers_once_and_closed_registration_refused(db):
    activity = make_activity(capacity=None)
    assert register(activity, 1) == register(activity, 1)
    closed = make_activity(
        title="Lukket", registration_deadline=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(ValidationError):
        register(closed, 1)


@pytest.mark.django_db(transaction=True)
def test_capacity_holds_under_concurrent_registrations():
    activity = make_activity(capacity=5)
    workers = 12
    barrier = Barrier(workers)
    errors = []

    def attempt(n):
        try:
            barrier.wait()
            register(activity, n)
        except Exception as exc:  # pragma: no cover - shown by the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [Thread(target=attempt, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = list(Registration.objects.values_list("status", flat=True))
    assert len(statuses) == workers  # none lost
    assert statuses.count("registered") == 5
    assert statuses.count("waitlisted") == workers - 5


def test_ics_file_is_valid(client, db):
    activity = make_activity()
    response = client.get(reverse("networks:activity-calendar", args=[activity.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]) == "Stormøde efterår"
    assert event["dtstart"].dt == activity.starts_at.replace(microsecond=0)
    assert "Gothersgade 20" in str(event["location"])
    assert calendar["version"] == "2.0" and event["uid"]


def test_needs_are_forgotten_30_days_after(db):
    old = make_activity(
        title="Gammel",
        starts_at=timezone.now() - timedelta(days=40),
        ends_at=timezone.now() - timedelta(days=40) + timedelta(hours=2),
        state="held",
    )
    Registration.objects.create(activity=old, name="A", email="a@example.dk", needs="Vegetar")
    recent = make_activity()
    Registration.objects.create(activity=recent, name="B", email="b@example.dk", needs="Kørestol")
    assert services.registrations_forget_needs() == 1
    assert set(Registration.objects.values_list("needs", flat=True)) == {"", "Kørestol"}


def test_attendance_makes_an_ambassador_active(db):
    activity = make_activity()
    ambassador = AmbassadorFactory()
    registration = services.registration_create(
        activity=activity, name=ambassador.name, email=ambassador.email, ambassador=ambassador
    )
    assert ambassador not in Ambassador.objects.active()
    services.attendance_mark(registration=registration)
    assert ambassador in Ambassador.objects.active()


def test_pages_register_and_cancel(client, fredericia, django_capture_on_commit_callbacks):
    activity = make_activity(capacity=1)
    make_activity(title="Kreativt værksted", kind="workshop", capacity=None)
    html = client.get(reverse("networks:activity-list"), {"kind": "plenary"}).content.decode()
    assert "Stormøde efterår" in html and "Kreativt værksted" not in html
    url = reverse("networks:activity-detail", args=[activity.slug])
    response = client.post(url, {"name": "", "email": "x"})
    assert 'id="error-summary"' in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"name": "Åse", "email": "aase@example.dk", "needs": "Glutenfri"})
        client.post(url, {"name": "Bo", "email": "bo@example.dk"})
    assert list(Registration.objects.values_list("status", flat=True)) == [
        "registered",
        "waitlisted",
    ]
    cancel = Registration.objects.get(email="aase@example.dk").get_cancel_url()
    assert cancel in mail.outbox[0].body
    assert client.get(cancel).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(cancel)
    assert Registration.objects.get(email="bo@example.dk").status == "registered"


def test_invitation_only_activity_needs_the_ambassador_link(client, fredericia):
    activity = make_activity(is_public=False)
    url = reverse("networks:activity-detail", args=[activity.slug])
    response = client.post(url, {"name": "Fremmed", "email": "f@example.dk"})
    assert response["Location"] == reverse("ambassadors:login-request")
    assert not Registration.objects.exists()
    ambassador = AmbassadorFactory()
    client.get(reverse("ambassadors:ambassador-login", args=[make_token(ambassador, "login")]))
    client.post(url, {"name": ambassador.name, "email": "ignored@example.dk"})
    assert Registration.objects.get().email == ambassador.email


def test_admin_checkin(client, project_leader, db, django_assert_max_num_queries):
    activity = make_activity(capacity=None)
    for n in range(20):
        register(activity, n)
    client.force_login(project_leader)
    url = reverse("admin:networks_activity_checkin", args=[activity.pk])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    registration = activity.registrations.first()
    client.post(url, {"registration": registration.pk, "attended": "1"})
    registration.refresh_from_db()
    assert registration.attended
    assert client.get(reverse("admin:networks_activity_changelist")).status_code == 200
    assert client.get(reverse("admin:networks_registration_changelist")).status_code == 200


def run_worker():
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_invite_everyone_in_the_background_once(client, project_leader):
    from django_tasks_db.models import DBTaskResult

    from networks.models import ActivityInvitation

    activity = make_activity(title="Stormøde for alle")
    invited = AmbassadorFactory.create_batch(4, accepts_newsletter=True)
    AmbassadorFactory(accepts_newsletter=False)
    lapsed = AmbassadorFactory(lapsed_at=timezone.now())
    client.force_login(project_leader)
    response = client.post(
        reverse("admin:networks_activity_changelist"),
        {"action": "invite_ambassadors", "_selected_action": [activity.pk]},
    )
    assert response.status_code == 302
    assert mail.outbox == []  # nothing is sent in the request
    assert DBTaskResult.objects.count() == 2  # the invitations now, the reminder later
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in invited)
    assert lapsed.email not in [m.to[0] for m in mail.outbox]
    # inviting again and running the worker again sends no one a second mail
    services.activity_invite_ambassadors(activity=activity)
    run_worker()
    assert len(mail.outbox) == 4
    assert ActivityInvitation.objects.filter(sent_at__isnull=False).count() == 4


def test_a_worker_that_died_halfway_finishes_without_doubles(db):
    from networks.models import ActivityInvitation
    from networks.tasks import send_activity_invitations

    activity = make_activity()
    people = AmbassadorFactory.create_batch(5)
    for ambassador in people:
        ActivityInvitation.objects.create(activity=activity, ambassador=ambassador)
    # The first run got through two before it died.
    ActivityInvitation.objects.filter(ambassador__in=people[:2]).update(sent_at=timezone.now())
    assert send_activity_invitations.call(activity.pk) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in people[2:])


def test_reminder_goes_to_those_with_a_place(db):
    from networks.tasks import send_activity_reminders

    activity = make_activity(capacity=1)
    register(activity, 1)
    register(activity, 2)  # waiting list: no reminder
    assert send_activity_reminders.call(activity.pk) == 0  # not yet: 14 days before
    soon = timezone.now() + timedelta(days=1)  # the days pass
    Activity.objects.filter(pk=activity.pk).update(starts_at=soon, ends_at=soon)
    assert send_activity_reminders.call(activity.pk) == 1
    assert mail.outbox[-1].to == ["p1@example.dk"]
    assert send_activity_reminders.call(activity.pk) == 0


def test_minutes_pictures_are_cleaned_and_published(client, project_leader, db):
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    from networks.admin.activities import ActivityPictureInline

    request = RequestFactory().get("/")
    request.user = project_leader
    # The form the admin's picture inline uploads with.
    ActivityPictureForm = ActivityPictureInline(Activity, site).get_formset(request).form  # noqa: N806
    from tests.pictures import png_with_gps

    activity = make_activity(state="held", summary="Vi aftalte tre nye netværk.")
    form = ActivityPictureForm(
        data={"alt_text": "Deltagere ved bordene", "caption": "", "position": 0},
        files={"image": png_with_gps()},
        instance=ActivityPicture(activity=activity),
    )
    assert form.is_valid(), form.errors
    picture = form.save()
    assert picture.image.name.startswith("activities/") and picture.image.name.endswith(".jpg")

    page = client.get(activity.get_absolute_url())
    assert picture.get_absolute_url() in page.content.decode()
    assert 'alt="Deltagere ved bordene"' in page.content.decode()
    served = client.get(picture.get_absolute_url())
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"PhoneMaker" not in b"".join(served.streaming_content)

    bad = ActivityPictureForm(
        data={"alt_text": "x", "position": 0},
        files={"image": SimpleUploadedFile("notes.jpg", b"not a picture")},
        instance=ActivityPicture(activity=activity),
    )
    assert not bad.is_valid()
    assert "image" in bad.errors

    client.force_login(project_leader)
    change = client.get(reverse("admin:networks_activity_change", args=[activity.pk]))
    assert picture.get_absolute_url() in change.content.decode()


def test_pictures_of_a_draft_are_hidden_from_the_public(client, project_leader, db):
    from tests.pictures import jpeg
    from udsathed.core.pictures import reencode_picture

    activity = make_activity(state="planned")
    picture = ActivityPicture.objects.create(
        activity=activity, image=reencode_picture(jpeg()), alt_text="Kladde"
    )
    assert client.get(picture.get_absolute_url()).status_code == 404
    wrong_slug = reverse("networks:activity-picture", kwargs={"slug": "andet", "pk": picture.pk})
    client.force_login(project_leader)
    assert client.get(picture.get_absolute_url()).status_code == 200
    assert client.get(wrong_slug).status_code == 404
