from datetime import timedelta
from threading import Barrier, Thread

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from ambassadors.models import Ambassador
from networks import services
from networks.models import Activity, Registration
from tests.ambassadors.factories import AmbassadorFactory
from tests.networks.factories import make_activity, register


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
