"""Writes about stories: an ambassador sends one; staff accept (maybe edited) or decline it."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassadors.models import (
    Ambassador,
    Participation,
    ParticipationKind,
    Story,
    StoryPicture,
    StoryState,
)
from udsathed.core.mail import absolute_url, build_email, send_after_commit
from udsathed.core.submissions import submission_key

logger = logging.getLogger(__name__)


@transaction.atomic
def story_submit(
    *,
    ambassador: Ambassador,
    title: str,
    text: str,
    use: str,
    people_consented: bool,
    pictures: Iterable[tuple] = (),
    form_key: str | None = None,
) -> Story:
    """Save a story with its (already cleaned) pictures.

    The same form sent again with the same content returns the first story; with other content
    (back, edit, send) it is a story of its own (udsathed/core/submissions.py)."""
    key = submission_key(form_key, ambassador.pk, title, text, use, people_consented)
    if key and (existing := Story.objects.filter(form_key=key).first()):
        return existing
    story = Story.objects.create(
        ambassador=ambassador,
        title=title,
        text=text,
        use=use,
        people_consented=people_consented,
        form_key=key,
    )
    for position, (image, alt_text) in enumerate(pictures):
        StoryPicture.objects.create(story=story, image=image, alt_text=alt_text, position=position)
    logger.info("Story #%s received from ambassador #%s", story.pk, ambassador.pk)
    return story


def _story_mail(story: Story, template: str) -> None:
    ambassador = story.ambassador
    if ambassador is None or ambassador.erased_at:
        return
    send_after_commit(
        build_email(
            to=ambassador.email,
            template=template,
            context={
                "ambassador": ambassador,
                "story": story,
                "link": absolute_url(reverse("ambassadors:login-request")),
            },
            language=ambassador.language,
        )
    )


def _stored_state(story: Story) -> str | None:
    return Story.objects.filter(pk=story.pk).values_list("state", flat=True).first()


@transaction.atomic
def story_accept(*, story: Story, user=None) -> Story:
    """Accept (possibly edited by staff); sending a story that is used counts as taking part."""
    was = _stored_state(story)
    story.state = StoryState.ACCEPTED
    story.decline_reason = ""
    story.reviewed_at = timezone.now()
    story.reviewed_by = user
    story.save()
    if was != StoryState.ACCEPTED:
        if story.ambassador_id:
            Participation.objects.create(
                ambassador_id=story.ambassador_id,
                kind=ParticipationKind.STORY,
                description=story.title[:200],
            )
        _story_mail(story, "ambassadors/email/story_accepted")
    return story


@transaction.atomic
def story_decline(*, story: Story, reason: str, user=None) -> Story:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"decline_reason": _("Give the sender a reason when declining.")})
    was = _stored_state(story)
    story.state = StoryState.DECLINED
    story.decline_reason = reason
    story.reviewed_at = timezone.now()
    story.reviewed_by = user
    story.save()
    if was != StoryState.DECLINED:
        _story_mail(story, "ambassadors/email/story_declined")
    return story


@transaction.atomic
def story_delete(*, story: Story) -> None:
    """Delete a story and its picture files (after commit, so a rollback keeps them)."""
    names = [picture.image.name for picture in story.pictures.all()]
    storage = StoryPicture._meta.get_field("image").storage
    story.delete()

    def remove():
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove)
