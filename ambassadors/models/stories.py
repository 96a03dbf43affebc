"""Stories: news from an ambassador for the newsletter and/or Facebook, with pictures,
reviewed by staff before use."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassadors.models.ambassadors import Ambassador
from udsathed.core.fields import CprMaskedCharField, CprMaskedTextField

MAX_STORY_PICTURES = 3


class StoryUse(models.TextChoices):
    NEWSLETTER = "newsletter", _("The newsletter")
    FACEBOOK = "facebook", _("The strategy's Facebook page")
    BOTH = "both", _("Both the newsletter and Facebook")


class StoryState(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class StoryQuerySet(models.QuerySet):
    def accepted(self) -> StoryQuerySet:
        return self.filter(state=StoryState.ACCEPTED)

    def for_newsletter(self) -> StoryQuerySet:
        return self.accepted().filter(use__in=[StoryUse.NEWSLETTER, StoryUse.BOTH])


class Story(models.Model):
    """News from an ambassador for the newsletter and/or Facebook, reviewed before use."""

    ambassador = models.ForeignKey(
        Ambassador,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("sent by"),
    )
    title = CprMaskedCharField(_("title"), max_length=160)
    text = CprMaskedTextField(_("text"), max_length=5000)
    use = models.CharField(
        _("may be used in"), max_length=20, choices=StoryUse.choices, default=StoryUse.BOTH
    )
    people_consented = models.BooleanField(
        _("the people in the pictures agreed"),
        default=False,
        help_text=_("Recorded when the story was sent with pictures."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=StoryState.choices, default=StoryState.SUBMITTED
    )
    decline_reason = CprMaskedTextField(
        _("reason for declining"),
        max_length=1000,
        blank=True,
        help_text=_("The sender sees this on their page."),
    )
    submitted_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    # One key per rendered form: a double click or a retry makes one story, not two.
    form_key = models.CharField(max_length=40, unique=True, null=True, blank=True, editable=False)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["state", "submitted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(decline_reason=""),
                name="story_declined_has_reason",
                violation_error_message=_("Give the sender a reason when declining."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_accepted(self) -> bool:
        return self.state == StoryState.ACCEPTED

    @property
    def is_declined(self) -> bool:
        return self.state == StoryState.DECLINED

    @property
    def for_facebook(self) -> bool:
        return self.use in (StoryUse.FACEBOOK, StoryUse.BOTH)

    def facebook_text(self) -> str:
        """Plain text ready to paste into a Facebook post."""
        return f"{self.title}\n\n{self.text.strip()}"


def story_picture_path(instance, filename: str) -> str:
    return f"stories/{filename}"


class StoryPicture(models.Model):
    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="pictures", verbose_name=_("story")
    )
    image = models.FileField(_("picture"), upload_to=story_picture_path, max_length=200)
    alt_text = CprMaskedCharField(
        _("alternative text"),
        max_length=250,
        help_text=_("Describe what the picture shows, for people who cannot see it."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.alt_text

    def get_absolute_url(self) -> str:
        return reverse("ambassadors:story-picture", kwargs={"pk": self.pk})
