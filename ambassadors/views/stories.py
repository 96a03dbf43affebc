"""Stories: an ambassador sends one from their page; its pictures are shown to those who may
see them."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from ambassadors import services
from ambassadors.forms import StoryForm
from ambassadors.models import StoryPicture, StoryState
from ambassadors.views.access import AmbassadorRequiredMixin, current_ambassador, public_form_limits
from udsathed.core.pictures import picture_response


@method_decorator(public_form_limits("story"), name="dispatch")
class StoryCreateView(AmbassadorRequiredMixin, FormView):
    """An ambassador sends a story with pictures from their page."""

    template_name = "ambassadors/story_form.html"
    form_class = StoryForm
    success_url = reverse_lazy("ambassadors:ambassador-self")

    def form_valid(self, form):
        if form.is_robot:  # the honeypot was filled in: pretend all went well, save nothing
            messages.success(self.request, _("Thank you. We have received your story."))
            return redirect(self.success_url)
        data = form.cleaned_data
        services.story_submit(
            ambassador=self.ambassador,
            title=data["title"],
            text=data["text"],
            use=data["use"],
            people_consented=data["people_consented"],
            pictures=data["pictures"],
            form_key=data["form_key"] or None,
        )
        messages.success(
            self.request,
            _("Thank you. We have received your story and will tell you what we decide."),
        )
        return redirect(self.success_url)


def story_picture(request, pk: int):
    """Pictures of accepted stories are public; the others only for their sender and staff."""
    picture = get_object_or_404(StoryPicture.objects.select_related("story"), pk=pk)
    story = picture.story
    allowed = (
        story.state == StoryState.ACCEPTED
        or request.user.has_perm("ambassadors.view_story")
        or (
            story.ambassador_id is not None
            and getattr(current_ambassador(request), "pk", None) == story.ambassador_id
        )
    )
    if not allowed:
        raise Http404
    response = picture_response(picture.image)
    if story.state != StoryState.ACCEPTED:
        response["Cache-Control"] = "private, no-store"
    return response
