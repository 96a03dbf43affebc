from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ambassadors.models import Story, StoryPicture, StoryState
from tests.ambassadors.factories import AmbassadorFactory
from tests.ambassadors.test_ambassadors_views import log_in
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
