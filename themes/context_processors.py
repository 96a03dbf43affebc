from django.utils.functional import SimpleLazyObject

from themes.models import Strategy


def active_strategy(request):
    """The strategy the site runs, for the header and footer of every page.

    Lazy: one query on first use, none on pages that never mention it.
    """
    return {"strategy": SimpleLazyObject(lambda: Strategy.objects.active().first())}
