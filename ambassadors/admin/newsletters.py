"""Newsletters in the admin: write, preview, send a test, then send with the count confirmed."""

import logging

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Newsletter, NewsletterState, Story
from ambassadors.services import newsletters
from themes.admin import InterestsAdminMixin

audit = logging.getLogger("portal.audit")


class NewsletterForm(forms.ModelForm):
    class Meta:
        model = Newsletter
        fields = ["title", "slug", "body", "stories", "include_activities", "themes", "core_areas"]
        widgets = {"stories": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "stories" in self.fields:  # not when the newsletter is sent and read-only
            self.fields["stories"].queryset = Story.objects.for_newsletter().order_by(
                "-submitted_at"
            )
        if "slug" in self.fields:
            self.fields["slug"].required = False


@admin.register(Newsletter)
class NewsletterAdmin(InterestsAdminMixin, admin.ModelAdmin):
    form = NewsletterForm
    list_display = ["title", "state", "created_at", "sent_at", "progress"]
    list_filter = ["state"]
    search_fields = ["title", "body"]
    readonly_fields = ["state", "progress", "send_link", "created_by", "sent_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "stories", "include_activities"]}),
        (_("Who receives it"), {"fields": ["themes", "core_areas"]}),
        (_("Sending"), {"fields": ["state", "send_link", "progress", "created_by", "sent_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj and not obj.is_draft:  # what was sent is sent: nothing changes afterwards
            return [*self.readonly_fields, "title", "slug", "body", "stories",
                    "include_activities", "themes", "core_areas"]  # fmt: skip
        return self.readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).with_progress()

    @admin.display(description=_("progress"))
    def progress(self, obj):
        if obj.is_draft:
            return "–"
        if obj.state == NewsletterState.SENT:
            return _("%(sent)s of %(total)s sent") % obj.progress
        return (
            _("%(sent)s sent, %(failed)s failed, %(pending)s remaining, %(skipped)s skipped")
            % obj.progress
        )

    @admin.display(description=_("preview and send"))
    def send_link(self, obj):
        if not obj.pk:
            return _("Save the newsletter first.")
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:ambassadors_newsletter_preview", args=[obj.pk]),
            _("Preview, test and send") if obj.is_draft else _("Show the newsletter"),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return False  # the archive and the delivery record stay
        return super().has_delete_permission(request, obj)

    def get_urls(self):
        return [
            path(
                "<int:newsletter_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="ambassadors_newsletter_preview",
            ),
        ] + super().get_urls()

    def preview_view(self, request, newsletter_id):
        """See it as a recipient will, send a test to oneself, then send with the count shown."""
        if not request.user.has_perm("ambassadors.change_newsletter"):
            raise PermissionDenied
        newsletter = get_object_or_404(Newsletter, pk=newsletter_id)
        recipients = newsletters.newsletter_recipients(newsletter).count()
        if request.method == "POST" and newsletter.is_draft:
            if "test" in request.POST:
                if not request.user.email:
                    self.message_user(
                        request, _("Your user has no e-mail address."), messages.ERROR
                    )
                else:
                    newsletters.newsletter_send_test(newsletter=newsletter, to=request.user.email)
                    self.message_user(
                        request,
                        _("A test was sent to %(email)s.") % {"email": request.user.email},
                        messages.SUCCESS,
                    )
                return redirect(request.path)
            if "send" in request.POST:
                return self._send(request, newsletter, recipients)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Newsletter: %(title)s") % {"title": newsletter.title},
            "newsletter": newsletter,
            "content": newsletter.archive_html()
            if not newsletter.is_draft
            else newsletters.newsletter_render(newsletter)[0],
            "recipients": recipients,
            "progress": None
            if newsletter.is_draft
            else newsletters.newsletter_progress(newsletter),
            "confirm": request.GET.get("confirm") == "1" and newsletter.is_draft,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/ambassadors/newsletter/preview.html", context)

    def _send(self, request, newsletter, recipients):
        try:
            expected = int(request.POST.get("expected", ""))
        except ValueError:
            expected = -1
        if recipients == 0:
            self.message_user(request, _("No one would receive it."), messages.ERROR)
            return redirect(request.path)
        try:
            total = newsletters.newsletter_start_sending(
                newsletter=newsletter, expected_count=expected
            )
        except newsletters.AlreadySent:
            self.message_user(request, _("The newsletter has already been sent."), messages.ERROR)
            return redirect(request.path)
        except ValueError:
            self.message_user(
                request,
                _("The number of recipients has changed to %(n)s. Check and confirm again.")
                % {"n": recipients},
                messages.WARNING,
            )
            return redirect(f"{request.path}?confirm=1")
        audit.info(
            "user=%s sent newsletter #%s to %s recipients", request.user.pk, newsletter.pk, total
        )
        self.message_user(
            request,
            _("Sending to %(n)s ambassadors has started in the background.") % {"n": total},
            messages.SUCCESS,
        )
        return redirect(request.path)
