from ambassadors import services
from ambassadors.models import Story, StoryPicture
from tests.ambassadors.factories import AmbassadorFactory
from tests.pictures import jpeg


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
