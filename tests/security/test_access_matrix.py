"""Security item 8: every private URL × every role → the expected status, and scoping.

The admin part is generated from `admin.site._registry`, so a newly registered model is in the
matrix without anyone remembering to add it. One test per role walks every URL and reports all
mismatches at once.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from ambassadors.models import Ambassador, Newsletter, Story, StoryPicture
from ambassadors.tokens import make_token
from evaluation.models import EvaluationRound
from networks.models import Activity, Ball, BallComment, Membership, Network
from tests.ambassadors.factories import AmbassadorFactory, CertificateFactory
from tests.factories import UserFactory
from tests.fredericia import insert_fredericia
from udsathed.groups import COMMITTEE_MEMBERS, NETWORK_LEADS, PROJECT_LEADERS

ROLES = ["anonymous", "ambassador", "committee", "lead", "leader", "superuser"]
STAFF = {"committee", "lead", "leader", "superuser"}
PORTAL_APPS = {"themes", "ambassadors", "networks", "evaluation"}
COMMITTEE_APPS = {"themes", "evaluation"}
# What a network lead may open in the admin: the balls and networks they lead (view only).
LEAD_MODELS = {"networks.ball", "networks.network"}


# The demo portal is built once for the module inside a transaction that is rolled back at its
# end; each test's own transaction is a savepoint within it. The outage test restarts PostgreSQL
# (tests/security/test_load.py), which would end that transaction, so under pytest-xdist both
# modules run on the same worker, one after the other.
pytestmark = pytest.mark.xdist_group("restarts_database")


@pytest.fixture(scope="module")
def demo_portal(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")  # the demo's pictures, for the whole module
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(MEDIA_ROOT=media),
    ):
        insert_fredericia()
        call_command("seed_demo", "--force", verbosity=0)
        lead = UserFactory(is_staff=True)
        lead.groups.add(Group.objects.get(name=NETWORK_LEADS))
        own = Network.objects.filter(balls__isnull=False).order_by("pk").first()
        Membership.objects.create(network=own, user=lead, role="lead")
        ambassador = AmbassadorFactory()
        CertificateFactory(ambassador=ambassador)
        yield {
            "lead": lead,
            "ambassador": ambassador,
            "own_ball": own.balls.order_by("pk").first(),
            "other_ball": Ball.objects.exclude(network=own).order_by("pk").first(),
            "media": media,
        }
        transaction.set_rollback(True)


@pytest.fixture
def portal(demo_portal, db, settings):
    settings.MEDIA_ROOT = demo_portal["media"]
    return demo_portal


def client_for(role, portal):
    client = Client()
    if role == "ambassador":
        token = make_token(portal["ambassador"], "login")
        assert client.get(reverse("ambassadors:ambassador-login", args=[token])).status_code == 302
    elif role == "lead":
        client.force_login(portal["lead"])
    elif role in STAFF:
        user = UserFactory(is_staff=True, is_superuser=role == "superuser")
        if role != "superuser":
            name = {"committee": COMMITTEE_MEMBERS, "leader": PROJECT_LEADERS}[role]
            user.groups.add(Group.objects.get(name=name))
        client.force_login(user)
    return client


def expected_admin(role, app_label, model_label, kind, model_admin, superuser_request):
    if role not in STAFF:
        return 302  # to the log-in page
    if kind == "add" and not model_admin.has_add_permission(superuser_request):
        return 403
    if role == "superuser":
        return 200
    if role == "committee" and model_label == "networks.ball":
        # The public record only: the list of published balls; another ball is a 404, not even
        # its existence shows (the demo's first ball of the lead's network is not published).
        return {"changelist": 200, "add": 403, "change": 404}[kind]
    if role == "leader":
        return 200 if app_label in PORTAL_APPS else 403
    if role == "committee":
        return 200 if app_label in COMMITTEE_APPS and kind != "add" else 403
    # The network lead: the balls of their own networks and their networks, read only.
    return 200 if model_label in LEAD_MODELS and kind != "add" else 403


def admin_cases(portal):
    request = type("Request", (), {})()
    request.user = UserFactory(is_staff=True, is_superuser=True)
    cases = []
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        label = f"{meta.app_label}.{meta.model_name}"
        obj = model._default_manager.order_by("pk").first()
        if model is Ball:
            obj = portal["own_ball"]
        if model is Network:
            obj = portal["own_ball"].network
        urls = [("changelist", reverse(f"{prefix}_changelist")), ("add", reverse(f"{prefix}_add"))]
        if obj is not None:
            urls.append(("change", reverse(f"{prefix}_change", args=[obj.pk])))
        for kind, url in urls:
            cases.append(
                (
                    url,
                    lambda role, a=meta.app_label, m=label, k=kind, ma=model_admin: expected_admin(
                        role, a, m, k, ma, request
                    ),
                )
            )
    return cases


def by_role(**statuses):
    return lambda role: statuses[role]


def custom_cases(portal):
    ball = portal["own_ball"]
    leaders_only = by_role(
        anonymous=302, ambassador=302, committee=403, lead=403, leader=200, superuser=200
    )
    own_ambassador = by_role(
        anonymous=302, ambassador=200, committee=302, lead=302, leader=302, superuser=302
    )
    dashboard = by_role(
        anonymous=302, ambassador=302, committee=200, lead=403, leader=200, superuser=200
    )
    everyone = by_role(**dict.fromkeys(ROLES, 200))
    nobody = by_role(**dict.fromkeys(ROLES, 404))
    published_record = by_role(
        anonymous=302, ambassador=302, committee=200, lead=404, leader=200, superuser=200
    )
    published = Ball.objects.published().exclude(network=ball.network).order_by("pk").first()
    evaluation_round = EvaluationRound.objects.order_by("pk").first()
    cases = [
        (
            "/admin/",
            by_role(
                anonymous=302, ambassador=302, committee=200, lead=200, leader=200, superuser=200
            ),
        ),
        (reverse("admin:networks_ball_transition", args=[ball.pk]), leaders_only),
        (reverse("admin:networks_ball_public_preview", args=[ball.pk]), leaders_only),
        (reverse("networks:ball-public-list"), everyone),
        (reverse("networks:ball-feed"), everyone),
        (published.get_public_url(), everyone),
        (reverse("admin:networks_ball_change", args=[published.pk]), published_record),
        (ball.get_public_url(), nobody),  # not published
        (reverse("networks:ball-public-detail", args=[999999]), nobody),
        (reverse("admin:networks_network_match", args=[ball.network.pk]), leaders_only),
        (
            reverse("admin:networks_activity_checkin", args=[Activity.objects.first().pk]),
            leaders_only,
        ),
        (
            reverse("admin:ambassadors_newsletter_preview", args=[Newsletter.objects.first().pk]),
            leaders_only,
        ),
        (reverse("ambassadors:ambassador-self"), own_ambassador),
        (reverse("ambassadors:ambassador-export"), own_ambassador),
        (reverse("ambassadors:certificate-download"), own_ambassador),
        (reverse("ambassadors:story-create"), own_ambassador),
        (reverse("ambassadors:ambassador-withdraw"), own_ambassador),
        (reverse("evaluation:dashboard"), dashboard),
        (reverse("evaluation:dashboard-csv", args=["bolde"]), dashboard),
    ]
    cases += api_cases()
    if evaluation_round is not None:
        cases.append(
            (
                reverse("admin:evaluation_evaluationround_results", args=[evaluation_round.pk]),
                by_role(
                    anonymous=302,
                    ambassador=302,
                    committee=200,
                    lead=403,
                    leader=200,
                    superuser=200,
                ),
            )
        )
    return cases


def api_cases():
    """Every endpoint of the read-only API, from its URL configuration (a new endpoint is in
    the matrix by itself): public data, the same answer for every role."""
    from udsathed.api.urls import router, urlpatterns

    everyone = by_role(**dict.fromkeys(ROLES, 200))
    names = [f"api:{pattern.name}" for pattern in urlpatterns if getattr(pattern, "name", None)]
    names += [f"api:{url.name}" for url in router.urls if url.name.endswith("-list")]
    names.append("api:api-root")
    cases = [(reverse(name), everyone) for name in names]
    detail = {
        "api:activity-detail": Activity.objects.visible().order_by("pk").first().slug,
        "api:network-detail": Network.objects.public().order_by("pk").first().slug,
        "api:newsletter-detail": Newsletter.objects.published().order_by("pk").first().slug,
    }
    cases += [(reverse(name, args=[arg]), everyone) for name, arg in detail.items()]
    return cases


@pytest.mark.parametrize("role", ROLES)
def test_api_is_read_only_for_every_role(role, portal):
    client = client_for(role, portal)
    writes = {}
    for url, _expected in api_cases():
        for method in ("post", "put", "patch", "delete"):
            status = getattr(client, method)(url, {}, content_type="application/json").status_code
            if status != 405:
                writes[f"{method.upper()} {url}"] = status
    assert not writes, writes


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(role, portal):
    client = client_for(role, portal)
    mismatches = {}
    cases = admin_cases(portal) + custom_cases(portal)
    for url, expected in cases:
        status = client.get(url).status_code
        if status != expected(role):
            mismatches[url] = (status, expected(role))
    assert not mismatches, f"{len(mismatches)} of {len(cases)} URLs differ: {mismatches}"
    assert len(cases) > 50


def test_a_network_lead_cannot_open_a_ball_of_another_network(portal):
    client = client_for("lead", portal)
    other = portal["other_ball"]
    response = client.get(reverse("admin:networks_ball_change", args=[other.pk]))
    assert response.status_code == 404
    listing = client.get(reverse("admin:networks_ball_changelist")).content.decode()
    assert reverse("admin:networks_ball_change", args=[other.pk]) not in listing
    assert reverse("admin:networks_ball_change", args=[portal["own_ball"].pk]) in listing


def test_committee_members_never_see_the_free_text_of_balls(portal):
    client = client_for("committee", portal)
    ball = portal["own_ball"]
    assert not ball.is_published
    assert client.get(reverse("admin:networks_ball_change", args=[ball.pk])).status_code == 404
    dashboard = client.get(reverse("evaluation:dashboard")).content.decode()
    assert ball.description not in dashboard
    # The public record of the published balls, and nothing the senders wrote or staff noted.
    published = list(Ball.objects.published().order_by("pk"))
    assert published
    listing = client.get(reverse("admin:networks_ball_changelist")).content.decode()
    pages = [listing]
    for shown in published:
        assert shown.public_title in listing
        page = client.get(reverse("admin:networks_ball_change", args=[shown.pk]))
        assert page.status_code == 200
        pages.append(page.content.decode())
        history = reverse("admin:networks_ball_history", args=[shown.pk])
        assert client.get(history).status_code == 403
    assert ball.title not in listing
    for every in Ball.objects.all():
        for page in pages:
            assert every.title not in page and every.description not in page
            assert not every.contact_email or every.contact_email not in page
    for comment in BallComment.objects.all():
        assert all(comment.text not in page for page in pages)


def test_a_picture_of_someone_elses_unpublished_story_is_a_404(portal):
    picture = StoryPicture.objects.select_related("story").first()
    Story.objects.filter(pk=picture.story_id).update(state="submitted")
    url = reverse("ambassadors:story-picture", args=[picture.pk])
    assert client_for("anonymous", portal).get(url).status_code == 404
    assert client_for("ambassador", portal).get(url).status_code == 404
    assert client_for("leader", portal).get(url).status_code == 200


def test_an_ambassadors_pages_show_only_their_own_data(portal):
    someone_else = Ambassador.objects.exclude(pk=portal["ambassador"].pk).exclude(email="").first()
    client = client_for("ambassador", portal)
    export = client.get(reverse("ambassadors:ambassador-export"))
    assert export.status_code == 200
    assert portal["ambassador"].email in export.content.decode()
    assert someone_else.email not in export.content.decode()
    assert (
        someone_else.email
        not in client.get(reverse("ambassadors:ambassador-self")).content.decode()
    )
