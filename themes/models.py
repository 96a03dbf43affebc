"""The strategy as data: what it is for, for whom, its themes and core areas.

A strategy is loaded from a file in `themes/strategies/` (see `load_strategy`); exactly one is
active per site. Texts are kept in Danish and English (themes/translation.py); pages show the
visitor's language and fall back to Danish where no English text was written.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from udsathed.core.fields import CprMaskedCharField, CprMaskedTextField


class TranslatedFieldsMixin:
    """Named in the bases of the first migrations of themes and evaluation, so it stays; the
    texts themselves are kept per language by django-modeltranslation (`translation.py`)."""


class StrategyQuerySet(models.QuerySet):
    def active(self) -> StrategyQuerySet:
        """The strategy this site runs (at most one; enforced by a constraint)."""
        return self.filter(is_active=True)


class Strategy(models.Model):
    """A municipality's strategy or policy against social vulnerability."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    municipality = models.CharField(_("municipality"), max_length=120)
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    tagline = CprMaskedCharField(_("tagline"), max_length=300)
    purpose = CprMaskedTextField(_("purpose"))
    target_group = CprMaskedTextField(
        _("target group"), help_text=_("Who the strategy is for: the definition it works from.")
    )
    theme_label = models.CharField(
        _("word for themes"),
        max_length=60,
        blank=True,
        help_text=_("Plural heading for the themes, e.g. 'Temaer' or 'Principper'."),
    )
    core_area_label = models.CharField(
        _("word for core areas"),
        max_length=60,
        blank=True,
        help_text=_("Plural heading for the core areas, e.g. 'Kerneområder' or 'Fokusområder'."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_active = models.BooleanField(
        _("active"), default=False, help_text=_("The strategy this site runs. Only one at a time.")
    )
    source_file = models.CharField(_("loaded from"), max_length=200, blank=True, editable=False)
    loaded_at = models.DateTimeField(_("last loaded"), null=True, blank=True, editable=False)

    objects = StrategyQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["-is_active", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="one_active_strategy",
                violation_error_message=_("Only one strategy can be active at a time."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_end__gte=models.F("period_start")),
                name="strategy_period_in_order",
                violation_error_message=_("The last year cannot come before the first year."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def period_display(self) -> str:
        if self.period_end:
            return f"{self.period_start}–{self.period_end}"
        return _("from %(year)s") % {"year": self.period_start}

    @property
    def themes_heading(self) -> str:
        return self.theme_label or _("Themes")

    @property
    def core_areas_heading(self) -> str:
        return self.core_area_label or _("Core areas")


class Milestone(models.Model):
    """A step in the strategy's history, shown on the 'about' page."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("strategy")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = CprMaskedCharField(_("title"), max_length=200)
    description = CprMaskedTextField(_("description"))

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["strategy", "year", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "year", "position"], name="unique_milestone_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"


class SocialProblem(models.Model):
    """One of the heavy social problems named in the target-group definition."""

    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.CASCADE,
        related_name="social_problems",
        verbose_name=_("strategy"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("social problem")
        verbose_name_plural = _("social problems")
        ordering = ["strategy", "position"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "position"], name="unique_problem_position")
        ]

    def __str__(self) -> str:
        return self.name


class ThemeQuerySet(models.QuerySet):
    def of_active_strategy(self) -> ThemeQuerySet:
        """Themes of the strategy the site runs, in their numbered order."""
        return self.filter(strategy__is_active=True).order_by("number")


class Theme(models.Model):
    """A numbered theme (or principle) of a strategy."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="themes", verbose_name=_("strategy")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = CprMaskedCharField(_("title"), max_length=200)
    description = CprMaskedTextField(_("description"))
    film_url = models.URLField(
        _("film link"), blank=True, help_text=_("Link to the citizens' short film on the theme.")
    )

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="unique_theme_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("themes:theme-detail", kwargs={"number": self.number})


class CoreAreaQuerySet(models.QuerySet):
    def of_active_strategy(self) -> CoreAreaQuerySet:
        """Core areas of the strategy the site runs, in their order."""
        return self.filter(strategy__is_active=True).order_by("position")


class CoreArea(models.Model):
    """A core area (Fredericia) or focus area (Frederiksberg) that groups themes."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="core_areas", verbose_name=_("strategy")
    )
    slug = models.SlugField(_("short name"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=120)
    promise = CprMaskedCharField(
        _("promise"), max_length=300, help_text=_("One line: what the area promises the citizen.")
    )
    description = CprMaskedTextField(_("description"))
    themes = models.ManyToManyField(
        Theme, related_name="core_areas", blank=True, verbose_name=_("themes")
    )

    objects = CoreAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("core area")
        verbose_name_plural = _("core areas")
        ordering = ["strategy", "position"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "slug"], name="unique_core_area_slug")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("themes:corearea-detail", kwargs={"slug": self.slug})


class PostcodeQuerySet(models.QuerySet):
    def of_active_strategy(self) -> PostcodeQuerySet:
        return self.filter(strategy__is_active=True)


class Postcode(models.Model):
    """A postcode inside the municipality, used to count ambassadors who live there."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="postcodes", verbose_name=_("strategy")
    )
    code = models.CharField(_("postcode"), max_length=4)
    name = models.CharField(_("town"), max_length=80)

    objects = PostcodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["strategy", "code"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="unique_postcode"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{4}$"), name="postcode_4_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
