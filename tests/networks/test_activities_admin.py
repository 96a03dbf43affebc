import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from networks import services
from networks.models import Activity, ActivityPicture
from tests.ambassadors.factories import AmbassadorFactory
from tests.networks.factories import NetworkFactory, make_activity, register, run_worker


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
        data={"alt_text_da": "Deltagere ved bordene", "caption_da": "", "position": 0},
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
        data={"alt_text_da": "x", "position": 0},
        files={"image": SimpleUploadedFile("notes.jpg", b"not a picture")},
        instance=ActivityPicture(activity=activity),
    )
    assert not bad.is_valid()
    assert "image" in bad.errors

    client.force_login(project_leader)
    change = client.get(reverse("admin:networks_activity_change", args=[activity.pk]))
    assert picture.get_absolute_url() in change.content.decode()


def test_activity_change_page_looks_networks_up_instead_of_listing_them(
    client, project_leader, db, django_assert_max_num_queries
):
    activity = make_activity()
    others = NetworkFactory.create_batch(5)
    client.force_login(project_leader)
    url = reverse("admin:networks_activity_change", args=[activity.pk])
    with django_assert_max_num_queries(40):
        page = client.get(url).content.decode()
    assert f'<option value="{others[0].pk}"' not in page  # not every network as an option
    assert 'class="vForeignKeyRawIdAdminField"' in page  # a number with the lookup window
    lookup = client.get(
        reverse("admin:networks_network_changelist"), {"_to_field": "id", "_popup": 1}
    )
    assert lookup.status_code == 200 and others[0].name in lookup.content.decode()


def test_activity_list_counts_registrations_per_shown_row(client, project_leader, db):
    """The counts are asked per shown activity, not by joining and grouping every activity's
    registrations (which the page count and the date bar would repeat)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    full, waiting = make_activity(capacity=2), make_activity(capacity=None, slug="andet")
    for n in range(3):
        register(full, n)
    register(waiting, 9)
    client.force_login(project_leader)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:networks_activity_changelist"))
    assert not [q for q in captured if 'GROUP BY "networks_activity"' in q["sql"]]
    counts = {
        a.pk: (a.registered_count, a.waitlist_count) for a in response.context["cl"].result_list
    }
    assert counts == {full.pk: (2, 1), waiting.pk: (1, 0)}
