"""Issue 22: the open data says nothing private, and search engines see only public pages.

A marker is written into every private field (ambassadors' names, e-mails and phones, the
senders, free text and contact details of balls, steps' messages and staff comments,
registrations' names, e-mails and needs, drafts of activities, networks, newsletters and
stories); then every API response, every feed and the sitemap is read in both languages and
the marker must appear in none of them."""

from datetime import timedelta
from urllib.robotparser import RobotFileParser

import pytest
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import Newsletter, NewsletterState, Story
from networks.models import (
    ActivityState,
    BallComment,
    BallEvent,
    BallState,
    Membership,
    NetworkState,
    Registration,
)
from tests.ambassadors.factories import AmbassadorFactory
from tests.evaluation.factories import ActivityFactory
from tests.factories import UserFactory
from tests.networks.factories import BallFactory, NetworkFactory
from udsathed.api.urls import router, urlpatterns
from udsathed.seo import PRIVATE_PATHS

pytestmark = pytest.mark.django_db

MARKER = "zqxmarker"


def private_everything():
    now = timezone.now()
    network = NetworkFactory(slug="offentligt-netvaerk")
    activity = ActivityFactory(
        slug="offentlig-aktivitet",
        starts_at=now + timedelta(days=2),
        state=ActivityState.OPEN,
        network=network,
    )
    ActivityFactory(title=f"Kladde {MARKER}", state=ActivityState.PLANNED, starts_at=now)
    NetworkFactory(name=f"Planlagt {MARKER}", state=NetworkState.PLANNED)
    hidden = AmbassadorFactory(
        name=f"Anna {MARKER}", email=f"{MARKER}@example.dk", phone="12345678"
    )
    listed = AmbassadorFactory(
        organisation=True, name=f"Kontakt {MARKER}", email=f"{MARKER}2@example.dk"
    )
    Membership.objects.create(network=network, ambassador=hidden, mandate=f"Mandat {MARKER}")
    Membership.objects.create(network=network, ambassador=listed)
    # A published ball: only staff's public texts and the closing answer are public; the
    # sender's own texts, contact, the notes along the way and staff comments are not.
    ball = BallFactory(
        published=True,
        network=network,
        title=f"Bold {MARKER}",
        description=f"Fri tekst {MARKER}",
        contact_name=f"Afsender {MARKER}",
        contact_email=f"{MARKER}3@example.dk",
        contact_phone="87654321",
        state=BallState.DONE,
        public_title="Offentlig titel",
        public_summary="Offentligt resumé",
        public_answer="Offentligt svar",
    )
    staff = UserFactory(is_staff=True, first_name=MARKER)
    BallEvent.objects.create(
        ball=ball, to_state=BallState.PASSED, public_note=f"Til afsender {MARKER}", actor=staff
    )
    BallEvent.objects.create(
        ball=ball, to_state=BallState.DONE, public_note="Offentligt svar", actor=staff
    )
    BallComment.objects.create(ball=ball, author=staff, text=f"Intern note {MARKER}")
    # Agreed, with public texts written, but not published: nothing of it is public.
    BallFactory(
        publish_consent=True,
        state=BallState.DONE,
        public_title=f"Udkast {MARKER}",
        public_summary=f"Udkast {MARKER}",
        public_answer=f"Svar {MARKER}",
    )
    Registration.objects.create(
        activity=activity,
        ambassador=hidden,
        name=f"Deltager {MARKER}",
        email=f"{MARKER}4@example.dk",
        needs=f"Behov {MARKER}",
    )
    Story.objects.create(ambassador=hidden, title=f"Historie {MARKER}", text=f"Tekst {MARKER}")
    Newsletter.objects.create(title=f"Kladde {MARKER}", body=f"Udkast {MARKER}")
    Newsletter.objects.create(
        title="Sendt brev",
        slug="sendt-brev",
        body="Offentligt",
        state=NewsletterState.SENT,
        sent_html="<p>Offentligt</p>",
        send_started_at=now,
        sent_at=now,
    )
    return {"activity": activity, "network": network, "ball": ball}


def open_data_urls(objects):
    urls = [
        reverse(f"api:{pattern.name}")
        for pattern in urlpatterns
        if getattr(pattern, "name", None) not in (None, "docs")
    ]
    urls += [reverse(f"api:{url.name}") for url in router.urls if url.name.endswith("-list")]
    urls += [
        reverse("api:activity-detail", args=[objects["activity"].slug]),
        reverse("api:network-detail", args=[objects["network"].slug]),
        reverse("api:newsletter-detail", args=["sendt-brev"]),
        reverse("api:ball-detail", args=[objects["ball"].pk]),
        reverse("networks:ball-feed"),
        reverse("api:activity-list") + "?tid=tidligere",
        reverse("networks:activity-calendar-feed"),
        reverse("networks:activity-feed"),
        reverse("newsletter-feed"),
        reverse("sitemap"),
        reverse("robots"),
    ]
    return urls


def test_no_private_field_reaches_the_api_the_feeds_or_the_sitemap(client, fredericia):
    objects = private_everything()
    leaks = {}
    for url in open_data_urls(objects):
        for query in ({}, {"lang": "en"}, {"page_size": 100}):
            response = client.get(url, query)
            assert response.status_code == 200, url
            body = response.content.decode().lower()
            for secret in (MARKER, "12345678", "87654321"):
                if secret in body:
                    leaks[f"{url} {query}"] = secret
    assert not leaks, leaks


def test_sitemap_lists_both_languages_with_hreflang(client, fredericia):
    objects = private_everything()
    xml = client.get(reverse("sitemap")).content.decode()
    path = objects["activity"].get_absolute_url()
    assert f"<loc>http://testserver{path}</loc>" in xml
    assert f"<loc>http://testserver/en{path}</loc>" in xml
    assert f'hreflang="en" href="http://testserver/en{path}"' in xml
    assert f'hreflang="da" href="http://testserver{path}"' in xml
    assert 'hreflang="x-default"' in xml
    assert "/min-side/" not in xml and "/bolde/send/" in xml and "/dashboard/" not in xml


PRIVATE_URLS = [
    ("networks:ball-status", ["abc"]),
    ("networks:registration-ticket", ["abc"]),
    ("networks:registration-cancel", ["abc"]),
    ("networks:invitation-answer", ["abc"]),
    ("ambassadors:ambassador-self", []),
    ("ambassadors:ambassador-export", []),
    ("ambassadors:login-request", []),
    ("ambassadors:ambassador-confirm", ["abc"]),
    ("ambassadors:ambassador-stay", ["abc"]),
    ("ambassadors:certificate-verify", ["abc"]),
    ("newsletter-unsubscribe", ["abc"]),
    ("evaluation:response-create", ["abc"]),
    ("evaluation:dashboard", []),
    ("admin:index", []),
]


def test_robots_txt_keeps_private_paths_out_and_names_the_sitemap(client):
    response = client.get(reverse("robots"))
    assert response["Content-Type"].startswith("text/plain")
    robots = RobotFileParser()
    robots.parse(response.content.decode().splitlines())
    for name, args in PRIVATE_URLS:
        path = reverse(name, args=args)
        assert not robots.can_fetch("*", f"http://testserver{path}"), path
        if not path.startswith("/admin/"):
            assert not robots.can_fetch("*", f"http://testserver/en{path}"), path
    public_pages = ("/", "/aktiviteter/", "/bolde/send/", "/en/bolde/send/", "/api/activities/")
    for public in (*public_pages, "/bolde/nr/1/", "/en/bolde/nr/1/", "/bolde/feed/"):
        assert robots.can_fetch("*", f"http://testserver{public}"), public
    # Python's parser knows no `$` (RFC 9309's end of a path), so the list's rule is read as text.
    assert "Allow: /bolde/$" in response.content.decode()
    assert "Allow: /en/bolde/$" in response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert all(path.endswith("/") for path in PRIVATE_PATHS)


def meta_description(html: str) -> str:
    return html.split('<meta name="description" content="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    "name",
    [
        "themes:home",
        "themes:theme-list",
        "networks:activity-list",
        "newsletter-list",
        "evaluation:progress",
        "networks:network-list",
    ],
)
def test_main_public_pages_have_their_own_meta_description(name, client, fredericia):
    html = client.get(reverse(name)).content.decode()
    assert html.count('<meta name="description" content="') == 1
    default = meta_description(client.get(reverse("privacy")).content.decode())
    assert meta_description(html).strip() not in ("", default)


def test_api_and_feed_responses_carry_the_security_headers(client):
    for url in (
        reverse("api:activity-list"),
        reverse("networks:activity-feed"),
        reverse("api:docs"),
    ):
        response = client.get(url)
        assert "default-src 'self'" in response["Content-Security-Policy"], url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert "Set-Cookie" not in response  # the API keeps no session


def test_sitemap_lists_published_balls_by_their_public_page_never_their_token(client, fredericia):
    published = BallFactory(published=True)
    unpublished = BallFactory(publish_consent=True, public_title="x", public_summary="y")
    sitemap = client.get(reverse("sitemap")).content.decode()
    assert published.get_public_url() in sitemap
    assert unpublished.get_public_url() not in sitemap
    assert published.token not in sitemap and unpublished.token not in sitemap
