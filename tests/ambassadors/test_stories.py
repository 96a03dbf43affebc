from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ambassadors import services
from ambassadors.models import Participation, Story, StoryPicture, StoryState
from tests.ambassadors.factories import AmbassadorFactory
from tests.ambassadors.test_views import log_in
from tests.pictures import GPS_IFD, jpeg, png_with_gps

STORY_URL = reverse("ambassadors:story-create")


def story_data(**extra):
    return {
        "title": "Ny frivillig i varmestuen",
        "text": "Lise er startet som frivillig og laver kaffe hver tirsdag.",
        "use": "both",
        "form_key": "key-1",
        **extra,
    }


def test_ambassador_sends_a_story_with_a_cleaned_picture(client, fredericia):
    ambassador = AmbassadorFactory()
    log_in(client, ambassador)
    page = client.get(STORY_URL)
    assert page.status_code == 200
    assert "Send en historie" in page.content.decode()
    response = client.post(
        STORY_URL,
        story_data(picture_1=png_with_gps(), alt_1="Lise ved kaffemaskinen", people_consented="on"),
    )
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.ambassador == ambassador and story.state == StoryState.SUBMITTED
    picture = story.pictures.get()
    assert picture.alt_text == "Lise ved kaffemaskinen"
    with picture.image.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif().get_ifd(GPS_IFD)
    # The sender sees it on their page, waiting for review.
    assert "Ny frivillig i varmestuen" in client.get(reverse("ambassadors:ambassador-self")).text
    # The picture is theirs to see, not the public's, until accepted.
    assert client.get(picture.get_absolute_url()).status_code == 200
    client.post(reverse("ambassadors:logout"))
    assert client.get(picture.get_absolute_url()).status_code == 404


def test_double_submit_makes_one_story(client, fredericia):
    log_in(client, AmbassadorFactory())
    client.post(STORY_URL, story_data())
    client.post(STORY_URL, story_data())
    assert Story.objects.count() == 1


def test_same_story_form_key_with_other_content_makes_a_second_story(client, fredericia):
    """Back, edit, send from one drawing of the story form: both stories are kept."""
    log_in(client, AmbassadorFactory())
    client.post(STORY_URL, story_data())
    client.post(STORY_URL, story_data(title="En rettet overskrift"))
    assert Story.objects.count() == 2
    client.post(STORY_URL, story_data(title="En rettet overskrift"))
    assert Story.objects.count() == 2


def test_bad_story_input_is_explained_and_saves_nothing(client, fredericia):
    log_in(client, AmbassadorFactory())
    fake = SimpleUploadedFile("photo.jpg", b"this is text, not a picture", "image/jpeg")
    response = client.post(STORY_URL, story_data(picture_1=fake, alt_1="x", people_consented="on"))
    assert response.status_code == 200
    assert "ikke et billede, vi kan læse" in response.text
    response = client.post(STORY_URL, story_data(picture_1=jpeg()))
    assert "Beskriv, hvad billedet viser" in response.text
    assert "personerne på billederne har sagt ja" in response.text.replace("\n", " ")
    response = client.post(STORY_URL, story_data(title="", text="<script>alert(1)</script>"))
    assert 'aria-invalid="true"' in response.text
    assert "<script>alert(1)" not in response.text
    assert Story.objects.count() == 0 and StoryPicture.objects.count() == 0


def test_story_form_needs_the_ambassador_link(client, db):
    response = client.get(STORY_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("ambassadors:login-request")


def test_honeypot_story_is_dropped(client, fredericia):
    log_in(client, AmbassadorFactory())
    client.post(STORY_URL, story_data(homepage="http://spam.example"))
    assert Story.objects.count() == 0


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


def test_erasure_removes_unused_stories_and_unlinks_accepted(fredericia, committed):
    from udsathed.core.pictures import reencode_picture

    ambassador = AmbassadorFactory()
    pending = services.story_submit(
        ambassador=ambassador, title="Ikke brugt", text="T", use="both", people_consented=True,
        pictures=[(reencode_picture(jpeg()), "x")],
    )  # fmt: skip
    storage = StoryPicture._meta.get_field("image").storage
    name = pending.pictures.get().image.name
    used = services.story_submit(
        ambassador=ambassador, title="Brugt", text="T", use="both", people_consented=False
    )
    services.story_accept(story=used)
    export = services.ambassador_export(ambassador=ambassador)
    assert {s["title"] for s in export["stories"]} == {"Ikke brugt", "Brugt"}
    committed(services.ambassador_erase, ambassador=ambassador)
    assert not Story.objects.filter(pk=pending.pk).exists()
    assert not storage.exists(name)
    used.refresh_from_db()
    assert used.ambassador is None
