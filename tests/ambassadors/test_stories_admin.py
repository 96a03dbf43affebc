from django.core import mail
from django.urls import reverse

from ambassadors import services
from ambassadors.models import Participation, StoryState
from tests.ambassadors.factories import AmbassadorFactory
from tests.ambassadors.test_ambassadors_views import log_in
from tests.pictures import jpeg


def test_review_accept_with_edits_and_decline_with_reason(
    client, project_leader, fredericia, django_capture_on_commit_callbacks
):
    ambassador = AmbassadorFactory(name="Lise")
    story = services.story_submit(
        ambassador=ambassador,
        title="Udkast",
        text="Tekst",
        use="newsletter",
        people_consented=False,
    )
    client.force_login(project_leader)
    url = reverse("admin:ambassadors_story_change", args=[story.pk])
    assert client.get(url).status_code == 200
    form = {
        "title": "Bedre titel",
        "text": "Tekst",
        "use": "newsletter",
        "state": "declined",
        "decline_reason": "",
        "pictures-TOTAL_FORMS": 0,
        "pictures-INITIAL_FORMS": 0,
    }
    response = client.post(url, form)
    assert response.status_code == 200  # the reason is missing
    assert "Giv afsenderen en begrundelse" in response.text
    story.refresh_from_db()
    assert story.state == StoryState.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**form, "state": "accepted"})
    story.refresh_from_db()
    assert story.state == StoryState.ACCEPTED and story.title == "Bedre titel"
    assert story.reviewed_by == project_leader
    assert Participation.objects.filter(ambassador=ambassador, kind="story").count() == 1
    assert mail.outbox[-1].to == [ambassador.email]

    other = services.story_submit(
        ambassador=ambassador, title="Nr. 2", text="T", use="facebook", people_consented=False
    )
    url = reverse("admin:ambassadors_story_change", args=[other.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url, {**form, "state": "declined", "decline_reason": "Vi har lige haft en lignende."}
        )
    other.refresh_from_db()
    assert other.state == StoryState.DECLINED
    assert "Vi har lige haft en lignende." in mail.outbox[-1].body
    log_in(client, ambassador)
    assert (
        "Vi har lige haft en lignende." in client.get(reverse("ambassadors:ambassador-self")).text
    )


def test_facebook_ready_text_and_pictures_in_the_admin(client, project_leader, fredericia):
    from udsathed.core.pictures import reencode_picture

    story = services.story_submit(
        ambassador=AmbassadorFactory(),
        title="Sommerfest",
        text="Vi grillede for 80 gæster.",
        use="facebook",
        people_consented=True,
        pictures=[(reencode_picture(jpeg()), "Grillen")],
    )
    client.force_login(project_leader)
    page = client.get(reverse("admin:ambassadors_story_change", args=[story.pk])).text
    assert 'id="facebook-text"' in page and "Vi grillede for 80 gæster." in page
    assert story.pictures.get().get_absolute_url() in page
    assert "js/copy" in page
