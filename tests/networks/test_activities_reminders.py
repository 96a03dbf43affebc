"""Reminders reach everyone with a place, at the activity's current start; more seats move the
waiting list up at once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from networks import services
from networks.models import Activity, Registration
from tests.networks.factories import make_activity, register, run_worker


@pytest.fixture
def travel(monkeypatch):
    """Move the clock the code reads (Django's timezone.now) to `delta` from today."""
    real_now = timezone.now

    def to(delta: timedelta):
        monkeypatch.setattr(timezone, "now", lambda: real_now() + delta)

    return to


def activity_form(activity: Activity, **changes) -> dict:
    """The admin's change form of an activity as posted, with `changes` applied (a new start
    keeps the activity's length)."""
    if "starts_at" in changes and "ends_at" not in changes:
        changes["ends_at"] = changes["starts_at"] + (activity.ends_at - activity.starts_at)
    values = {
        "kind": activity.kind,
        # The admin edits each text in Danish and English side by side.
        "title_da": activity.title_da,
        "slug": activity.slug,
        "state": activity.state,
        "is_public": "on" if activity.is_public else "",
        "network": activity.network_id or "",
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "place_name": activity.place_name,
        "address": activity.address,
        "capacity": "" if activity.capacity is None else activity.capacity,
        "description_da": activity.description_da,
        "summary_da": activity.summary_da,
        **changes,
    }
    data = {}
    for name in ("starts_at", "ends_at"):
        moment = timezone.localtime(values.pop(name))
        data[f"{name}_0"] = moment.strftime("%Y-%m-%d")
        data[f"{name}_1"] = moment.strftime("%H:%M:%S")
    data.update({"registration_deadline_0": "", "registration_deadline_1": ""})
    data.update({key: value for key, value in values.items() if value is not None})
    for prefix in ("pictures", "registrations"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return data


def post_change(client, activity, **changes):
    url = reverse("admin:networks_activity_change", args=[activity.pk])
    response = client.post(url, activity_form(activity, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    activity.refresh_from_db()
    return response


def reminders(outbox) -> list[str]:
    return [m.to[0] for m in outbox if "påmindelse" in m.subject.lower()]


def periodic_run():
    """What production runs every few minutes: resume_sending, then the worker."""
    call_command("resume_sending", verbosity=0)
    run_worker()


@pytest.mark.django_db(transaction=True)
def test_reminder_reaches_public_registrations(client, fredericia, travel, mailoutbox):
    activity = make_activity(capacity=1)  # starts in 14 days
    url = reverse("networks:activity-detail", args=[activity.slug])
    client.post(url, {"name": "Åse", "email": "aase@example.dk"})
    client.post(url, {"name": "Bo", "email": "bo@example.dk"})  # waiting list: no reminder
    cancelled = make_activity(title="Aflyst møde", state="cancelled", capacity=None)
    Registration.objects.create(activity=cancelled, name="Cia", email="cia@example.dk")
    assert list(activity.registrations.values_list("status", flat=True)) == [
        "registered",
        "waitlisted",
    ]
    mailoutbox.clear()

    travel(timedelta(days=11))  # three days before: not yet
    periodic_run()
    assert reminders(mailoutbox) == []

    travel(timedelta(days=12, hours=1))  # inside the two days before
    periodic_run()
    assert reminders(mailoutbox) == ["aase@example.dk"]
    assert activity.title in mailoutbox[-1].body

    periodic_run()  # once per person and start time
    assert reminders(mailoutbox) == ["aase@example.dk"]


@pytest.mark.django_db(transaction=True)
def test_moving_activity_moves_reminder(client, project_leader, travel, mailoutbox):
    activity = make_activity(capacity=None)  # starts in 14 days
    register(activity, 1)
    client.force_login(project_leader)
    client.post(
        reverse("admin:networks_activity_changelist"),
        {"action": "invite_ambassadors", "_selected_action": [activity.pk]},
    )
    post_change(client, activity, starts_at=activity.starts_at + timedelta(days=16))
    new_start = activity.starts_at  # in 30 days
    run_worker()
    mailoutbox.clear()

    travel(timedelta(days=12, hours=1))  # when the old start's reminder was due
    periodic_run()
    assert reminders(mailoutbox) == []

    travel(timedelta(days=28, hours=1))  # the new start's reminder is due
    periodic_run()
    assert reminders(mailoutbox) == ["p1@example.dk"]
    assert timezone.localtime(new_start).strftime("%H:%M") in mailoutbox[-1].body
    registration = activity.registrations.get()
    assert registration.reminded_for == activity.start_as_told

    # Saving the form again (to the second, as it shows the start) is not a move.
    client.force_login(project_leader)
    post_change(client, activity, description_da="Vi mødes og ser frem. Tag en ven med.")
    periodic_run()
    assert reminders(mailoutbox) == ["p1@example.dk"]

    # Moved later by more than the window after the reminder: reminded again for the new time,
    # by the run the admin's save scheduled (no periodic run needed).
    client.force_login(project_leader)
    post_change(client, activity, starts_at=new_start + timedelta(days=10, hours=1))
    later_start = activity.starts_at
    run_worker()
    assert reminders(mailoutbox) == ["p1@example.dk"]
    travel(timedelta(days=38, hours=2))
    run_worker()
    assert reminders(mailoutbox) == ["p1@example.dk", "p1@example.dk"]
    assert timezone.localtime(later_start).strftime("%H:%M") in mailoutbox[-1].body

    # Moved inside the window: the run is enqueued at once, and the new time is told.
    post_change(client, activity, starts_at=later_start - timedelta(hours=5))
    run_worker()
    assert reminders(mailoutbox) == ["p1@example.dk"] * 3


@pytest.mark.django_db(transaction=True)
def test_cancelled_activity_sends_no_reminders(client, project_leader, travel, mailoutbox):
    activity = make_activity(capacity=None)
    register(activity, 1)
    client.force_login(project_leader)
    post_change(client, activity, state="cancelled")
    travel(timedelta(days=12, hours=1))
    periodic_run()
    assert reminders(mailoutbox) == []


def test_registering_inside_the_window_is_its_own_reminder(db, travel, mailoutbox):
    """The confirmation sent a day before states the time; a reminder right after it is noise."""
    from networks.tasks import send_activity_reminders

    activity = make_activity(starts_at=timezone.now() + timedelta(days=1), capacity=None)
    registration = register(activity, 1)
    registration.refresh_from_db()
    assert registration.reminded_for == activity.start_as_told
    assert send_activity_reminders.call() == 0


def test_raising_capacity_promotes_waitlist_and_mails(
    client, project_leader, django_capture_on_commit_callbacks, mailoutbox
):
    activity = make_activity(capacity=1)
    people = [register(activity, n) for n in range(5)]
    assert [p.status for p in people] == ["registered"] + ["waitlisted"] * 4
    mailoutbox.clear()

    client.force_login(project_leader)
    with django_capture_on_commit_callbacks(execute=True):
        post_change(client, activity, capacity=3)
    statuses = [r.status for r in Registration.objects.filter(pk__in=[p.pk for p in people])]
    assert statuses == ["registered"] * 3 + ["waitlisted"] * 2  # in order of registration
    assert [m.to[0] for m in mailoutbox] == ["p1@example.dk", "p2@example.dk"]
    assert all("plads" in m.subject.lower() for m in mailoutbox)
    assert activity.state == "full"

    # The service any other writer calls after adding seats: no limit moves everyone up.
    mailoutbox.clear()
    Activity.objects.filter(pk=activity.pk).update(capacity=None)
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.waitlist_promote(activity=activity)
    assert [r.email for r in promoted] == ["p3@example.dk", "p4@example.dk"]
    assert [m.to[0] for m in mailoutbox] == ["p3@example.dk", "p4@example.dk"]
    activity.refresh_from_db()
    assert activity.state == "open"
    assert services.waitlist_promote(activity=activity) == []  # nothing twice


def test_places_reminded_before_the_upgrade_are_not_reminded_again(db):
    """Migration 0011 counts an earlier reminder as one for the activity's present start."""
    from importlib import import_module

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from networks.tasks import send_activity_reminders

    # The models as the migration sees them (without the translated fields added since).
    apps = (
        MigrationLoader(connection)
        .project_state(("networks", "0011_registration_reminded_for"))
        .apps
    )

    migration = import_module("networks.migrations.0011_registration_reminded_for")
    activity = make_activity(starts_at=timezone.now() + timedelta(days=1), capacity=None)
    reminded = Registration.objects.create(
        activity=activity, name="A", email="a@example.dk", reminded_at=timezone.now()
    )
    waiting = Registration.objects.create(activity=activity, name="B", email="b@example.dk")
    migration.reminded_of_current_start(apps, None)
    reminded.refresh_from_db()
    assert reminded.reminded_for == activity.start_as_told
    assert send_activity_reminders.call() == 1  # only the one never reminded
    waiting.refresh_from_db()
    assert waiting.reminded_for == activity.start_as_told


@pytest.mark.django_db(transaction=True)
def test_concurrent_reminder_runs_send_each_mail_once(mailoutbox):
    from threading import Barrier, Thread

    from django.db import connections

    from networks.tasks import send_activity_reminders

    activity = make_activity(capacity=None)
    for n in range(30):
        register(activity, n)
    soon = timezone.now() + timedelta(days=1)  # the days pass
    Activity.objects.filter(pk=activity.pk).update(starts_at=soon, ends_at=soon)
    mailoutbox.clear()
    runs = 3
    barrier = Barrier(runs)
    sent, errors = [], []

    def run():
        try:
            barrier.wait()
            sent.append(send_activity_reminders.call())
        except Exception as exc:  # pragma: no cover - shown by the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(sent) == 30
    assert sorted(m.to[0] for m in mailoutbox) == sorted(f"p{n}@example.dk" for n in range(30))
