"""The benchmark's Django side, run in a subprocess against one data set (EMBEDDED_PGDATA).

`python -m tests.benchmarks.probe` prints one JSON object: the concrete paths of the pages
(a network, a ball token, an activity), a session cookie for each kind of logged-in page (staff,
an ambassador), and the SQL queries one request of each page runs (the second request, so warm
caches count as they do in production).
"""

from __future__ import annotations

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "udsathed.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from ambassadors.models import Ambassador  # noqa: E402
from ambassadors.tokens import make_token  # noqa: E402
from networks.models import Activity, Ball, BallState, Network, NetworkState  # noqa: E402
from udsathed.demo.scale import PREFIX  # noqa: E402
from udsathed.groups import COMMITTEE_MEMBERS  # noqa: E402

BENCH_USER = "bench-udvalg"

# name, path (with {network}, {ball} and {activity} filled in), method, who is logged in
# ("" nobody, "staff" a committee member past the second factor, "ambassador" through a magic link)
PAGES = [
    ("home", "/", "GET", ""),
    ("theme", "/temaer/1/", "GET", ""),
    ("directory", "/ambassadoerer/?kind=association", "GET", ""),
    ("network", "/netvaerk/{network}/", "GET", ""),
    ("activities", "/aktiviteter/", "GET", ""),
    ("newsletters", "/nyhedsbreve/", "GET", ""),
    ("balls", "/bolde/", "GET", ""),
    ("ball_status", "/bolde/{ball}/", "GET", ""),
    ("signup", "/ambassadoerer/bliv-ambassadoer/", "GET", ""),
    ("ball_submit", "/bolde/send/", "POST", ""),
    ("progress", "/fremdrift/", "GET", ""),
    ("api_activities", "/api/activities/", "GET", ""),
    ("my_page", "/ambassadoerer/min-side/", "GET", "ambassador"),
    ("dashboard", "/dashboard/", "GET", "staff"),
    ("admin_balls", "/admin/networks/ball/?state__exact=passed", "GET", "staff"),
    ("admin_ambassadors", "/admin/ambassadors/ambassador/?state=active", "GET", "staff"),
    ("admin_activities", "/admin/networks/activity/", "GET", "staff"),
    ("admin_activity", "/admin/networks/activity/{activity}/change/", "GET", "staff"),
]
BALL_POST = {
    "kind": "idea",
    "title": "En bænk mere ved havnen",
    "description": "Sendt af benchmarken for at måle indsendelsen.",
}


def targets() -> dict[str, str]:
    # The same kind of object at every scale: the first active scale network, a done ball, the
    # scale activity with the most registrations (its change page lists them all).
    network = (
        Network.objects.filter(slug__startswith=PREFIX, state=NetworkState.ACTIVE)
        .order_by("pk")
        .first()
    )
    ball = Ball.objects.filter(token__startswith=PREFIX, state=BallState.DONE).order_by("pk")
    activity = (
        Activity.objects.filter(slug__startswith=PREFIX)
        .annotate(places=models.Count("registrations"))
        .order_by("-places", "pk")
        .first()
    )
    return {"network": network.slug, "ball": ball.first().token, "activity": str(activity.pk)}


def ambassador_client() -> Client:
    """An ambassador on Min side, logged in as one is: by the magic link from the e-mail."""
    ambassador = Ambassador.objects.active().filter(email__startswith=PREFIX).order_by("pk").first()
    client = Client(HTTP_HOST="127.0.0.1")
    link = reverse("ambassadors:ambassador-login", args=[make_token(ambassador, "login")])
    response = client.get(link, secure=True)
    assert response.status_code == 302 and settings.SESSION_COOKIE_NAME in client.cookies, response
    return client


def bench_user():
    """A committee member, the dashboard's reader; superuser so the admin list opens too."""
    user, _ = get_user_model().objects.get_or_create(
        username=BENCH_USER, defaults={"is_staff": True, "is_superuser": True}
    )
    user.groups.add(Group.objects.get(name=COMMITTEE_MEMBERS))
    TOTPDevice.objects.get_or_create(user=user, defaults={"name": "bench", "confirmed": True})
    return user


def staff_client(user) -> Client:
    """Logged in and past the second factor, as staff are in production (STAFF_REQUIRE_2FA)."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def query_counts(paths: dict[str, str], user) -> dict[str, int]:
    counts = {}
    for name, path, method, login in PAGES:
        client = {"staff": lambda: staff_client(user), "ambassador": ambassador_client}.get(
            login, lambda: Client(HTTP_HOST="127.0.0.1")
        )()
        for _attempt in range(2):
            with CaptureQueriesContext(connection) as queries:
                if method == "POST":
                    response = client.post(path.format(**paths), BALL_POST, secure=True)
                else:
                    response = client.get(path.format(**paths), secure=True)
        # A GET must be the page itself, not a redirect to a log-in or second-factor form.
        assert response.status_code == (302 if method == "POST" else 200), (name, response)
        counts[name] = len(queries)
    return counts


def forget_posted() -> int:
    """Delete the balls the benchmark has posted (the probe and the load generator), so every
    run measures the data set as seeded. In SQL: the data-version signals would otherwise load
    each of hundreds of thousands of rows to delete it."""
    quote = connection.ops.quote_name
    posted = "SELECT id FROM networks_ball WHERE description = %s"
    marker = [BALL_POST["description"]]
    with transaction.atomic(), connection.cursor() as cursor:
        for relation in Ball._meta.related_objects:
            table, column = (
                quote(relation.related_model._meta.db_table),
                quote(relation.field.column),
            )
            if relation.on_delete is models.CASCADE:
                cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({posted})", marker)  # noqa: S608
            else:  # SET_NULL
                sql = f"UPDATE {table} SET {column} = NULL WHERE {column} IN ({posted})"  # noqa: S608
                cursor.execute(sql, marker)
        for field in Ball._meta.many_to_many:
            through = field.remote_field.through._meta
            column = through.get_field(field.m2m_field_name()).column
            sql = f"DELETE FROM {quote(through.db_table)} WHERE {quote(column)} IN ({posted})"  # noqa: S608
            cursor.execute(sql, marker)
        cursor.execute("DELETE FROM networks_ball WHERE description = %s", marker)
        deleted = cursor.rowcount
    if deleted:
        # Rewritten whole, not only vacuumed: new balls would otherwise go into the holes all
        # over the table (a page read and a full page in the WAL per ball) instead of its end.
        tables = ["networks_ball", "networks_ballevent", "networks_ball_themes"]
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM FULL ANALYZE {', '.join(tables)}")
    return deleted


def main() -> None:
    if "--forget-posted" in sys.argv:
        print(json.dumps({"deleted": forget_posted()}))
        return
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    paths = targets()
    user = bench_user()
    sessions = {
        "staff": staff_client(user).cookies[settings.SESSION_COOKIE_NAME].value,
        "ambassador": ambassador_client().cookies[settings.SESSION_COOKIE_NAME].value,
    }
    result = {"paths": paths, "sessions": sessions}
    if "--queries" in sys.argv:
        result["queries"] = query_counts(paths, user)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
