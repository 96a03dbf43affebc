"""What pages of lower apps show of networks and activities (Min side, the newsletter).

A template tag, not an import: `ambassadors` may not import this app, but its templates may
load this library.
"""

from django import template

from networks.models import Activity, Ball, Registration

register = template.Library()


@register.simple_tag
def upcoming_public_activities(limit: int = 5) -> list[Activity]:
    """The next public activities, for the newsletter."""
    return list(Activity.objects.visible().upcoming().filter(is_public=True)[:limit])


@register.simple_tag
def upcoming_registrations(ambassador, limit: int = 10) -> list[Registration]:
    """The ambassador's coming places, for Min side."""
    return list(Registration.objects.upcoming_of(ambassador)[:limit])


@register.simple_tag
def latest_ball_answers(limit: int = 3) -> list[Ball]:
    """The published balls that got their answer last, for the home page (`themes` may not
    import this app). Only the public texts are read."""
    return list(
        Ball.objects.with_public_answer()
        .only("pk", "state", "public_title", "public_answer", "publish_consent", "closed_at")
        .order_by("-closed_at", "-pk")[:limit]
    )
