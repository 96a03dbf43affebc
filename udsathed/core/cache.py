"""Django's database cache with an atomic `incr`, so rate limits hold across workers and machines;
and the public pages' use of Django's per-view cache.

Django's own `DatabaseCache.incr` reads and writes in two steps, so two workers counting at the
same moment can both see the same value. Here the row is locked while it is counted. The cache
lives in PostgreSQL, which every worker already shares: no cache server to install or run.
"""

import base64
import pickle  # nosec B403 - the same encoding DatabaseCache itself uses for its own rows
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.utils import timezone
from django.views.decorators.cache import cache_page


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        # The table name comes from settings, never from input; values are parameters.
        select = f"SELECT value, expires FROM {table} WHERE cache_key = %s FOR UPDATE"  # noqa: E501, S608  # nosec B608
        update = f"UPDATE {table} SET value = %s WHERE cache_key = %s"  # noqa: S608  # nosec B608
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(select, [key])
            row = cursor.fetchone()
            if row is None or row[1] < timezone.now():
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode())) + delta  # noqa: S301  # nosec B301
            pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(update, [pickled, key])
        return value


def public_page(view):
    """Django's per-view cache (`cache_page`, in the "pages" cache) for a public page that has no
    form and shows nobody's personal data, so one drawing serves every anonymous visitor for
    PAGE_CACHE_SECONDS. Someone with a session (a logged-in ambassador or staff member) always
    gets the page drawn for them: it may carry their name, their menu or a message meant for them
    once, none of which may be kept for the next request or anyone else.

    What changes shows within PAGE_CACHE_SECONDS; the pages that must show a change at once (a
    ball's status, Min side, the admin, the forms) are not cached at all.
    """
    cached = cache_page(settings.PAGE_CACHE_SECONDS, cache="pages")(view)

    @wraps(view)
    def page(request, *args, **kwargs):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        return cached(request, *args, **kwargs)

    return page


def public_pages_forget() -> None:
    """Empty the public pages' cache once the transaction commits: for what must leave the public
    pages at once (a ball whose publication ends), not for every change."""
    transaction.on_commit(caches["pages"].clear)
