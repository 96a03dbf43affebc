from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from ambassadors.tokens import make_token
from networks.models import ActivityPicture, Registration
from tests.ambassadors.factories import AmbassadorFactory
from tests.networks.factories import make_activity


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


def test_someone_who_registers_in_english_gets_the_mails_in_english(
    client, fredericia, django_capture_on_commit_callbacks
):
    activity = make_activity(capacity=5)
    url = "/en" + reverse("networks:activity-detail", args=[activity.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"name": "Alex", "email": "alex@example.com"})
    registration = Registration.objects.get()
    assert registration.language == "en"
    message = mail.outbox[0]
    assert "/en/" in message.body and "You are registered" in message.subject + message.body


def test_upcoming_activities_are_found_by_an_index_without_joining_every_network(
    client, db, django_assert_max_num_queries
):
    """The list and the API page the upcoming activities: found by their end in an index, and
    the networks (which the list does not show, the API only by slug) are not joined, which
    hashed every network for twenty activities."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from networks.models import Activity
    from tests.networks.factories import NetworkFactory

    for n in range(3):
        make_activity(slug=f"a{n}", network=NetworkFactory())
    for path in [reverse("networks:activity-list"), reverse("api:activity-list")]:
        with CaptureQueriesContext(connection) as captured, django_assert_max_num_queries(12):
            assert client.get(path).status_code == 200
        joined = [q["sql"] for q in captured if 'JOIN "networks_network"' in q["sql"]]
        assert not joined, path
    sql, params = Activity.objects.visible().upcoming().query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # few rows: the table is cheaper
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "activity_ends_at_idx" in plan, plan
