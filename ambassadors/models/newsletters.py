"""Newsletters: written in Markdown, sent once to a segment, kept in the archive; one delivery
row per recipient, stamped when their mail has gone."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ambassadors.markup import sanitize_html
from ambassadors.models.ambassadors import Ambassador
from ambassadors.models.stories import Story, StoryState
from themes.models import CoreArea, Theme
from udsathed.core.fields import CprMaskedCharField, CprMaskedTextField


class NewsletterState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


class NewsletterQuerySet(models.QuerySet):
    def with_progress(self) -> NewsletterQuerySet:
        """progress_total and progress_<status> for each delivery status, in the same query."""
        return self.annotate(
            progress_total=models.Count("deliveries"),
            **{
                f"progress_{status}": models.Count(
                    "deliveries", filter=Q(deliveries__status=status)
                )
                for status in DeliveryStatus.values
            },
        )

    def published(self) -> NewsletterQuerySet:
        return self.filter(state__in=[NewsletterState.SENDING, NewsletterState.SENT]).exclude(
            sent_html=""
        )


class Newsletter(models.Model):
    """A newsletter written in Markdown, sent once to a segment, then kept in the archive."""

    title = CprMaskedCharField(_("title"), max_length=160)
    slug = models.SlugField(_("short name in the address"), max_length=80, unique=True)
    body = CprMaskedTextField(
        _("text"),
        max_length=20000,
        help_text=_("Markdown: # headings, **bold**, *italics*, lists and [links](https://…)."),
    )
    stories = models.ManyToManyField(
        Story,
        blank=True,
        related_name="newsletters",
        verbose_name=_("stories"),
        limit_choices_to={"state": StoryState.ACCEPTED},
    )
    include_activities = models.BooleanField(_("include upcoming activities"), default=True)
    themes = models.ManyToManyField(
        Theme,
        blank=True,
        related_name="+",
        verbose_name=_("only ambassadors interested in these themes"),
    )
    core_areas = models.ManyToManyField(
        CoreArea,
        blank=True,
        related_name="+",
        verbose_name=_("only ambassadors interested in these core areas"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=NewsletterState.choices, default=NewsletterState.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    send_started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    # What went out, frozen when sending starts: the archive shows exactly this.
    sent_html = models.TextField(editable=False, blank=True)
    sent_text = models.TextField(editable=False, blank=True)

    objects = NewsletterQuerySet.as_manager()

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["-sent_at", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            from django.utils.text import slugify

            self.slug = slugify(self.title)[:70] or secrets.token_hex(4)
            if Newsletter.objects.filter(slug=self.slug).exclude(pk=self.pk).exists():
                self.slug = f"{self.slug[:70]}-{secrets.token_hex(3)}"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("newsletter-detail", kwargs={"slug": self.slug})

    def archive_html(self):
        """What was sent, as it was sent (sanitised by nh3 once more on the way out)."""
        return sanitize_html(self.sent_html)

    @property
    def progress(self) -> dict[str, int]:
        """The counts of `with_progress()` as {"total": …, "sent": …, …}."""
        return {key: getattr(self, f"progress_{key}") for key in ["total", *DeliveryStatus.values]}

    @property
    def is_draft(self) -> bool:
        return self.state == NewsletterState.DRAFT


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped (unsubscribed meanwhile)")


class NewsletterDelivery(models.Model):
    """One recipient of one newsletter: stamped the moment their mail has gone."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="deliveries")
    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.CASCADE, related_name="newsletter_deliveries"
    )
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("newsletter delivery")
        verbose_name_plural = _("newsletter deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "ambassador"], name="one_delivery_per_recipient"
            )
        ]
        indexes = [models.Index(fields=["newsletter", "status", "id"])]

    def __str__(self) -> str:
        return f"{self.newsletter_id}/{self.ambassador_id}: {self.status}"
