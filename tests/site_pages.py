"""Every public page and state, built from data, for the accessibility, HTML and LIX tests.

`PUBLIC_PAGES` maps each named public URL pattern (the i18n patterns of udsathed.urls) to a
function that makes the data its states need and returns them; `NOT_PAGES` lists the named
patterns that are not HTML pages, with the reason. tests/test_site_pages.py fails when a named
pattern is in neither, so a new page cannot be forgotten. `ADMIN_PAGES` are the admin pages staff
use (the admin is Danish only and unprefixed).

A state is a `Visit`: a GET the browser makes itself, or a POST (or an error page) that the
Django test client renders in a transaction rolled back at once, so that the page can be shown
in both languages and the data stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from django.views import defaults

from ambassadors.models import Certificate, Newsletter, Story
from ambassadors.tokens import make_token
from evaluation.models import EvaluationRound
from networks.models import Activity, ActivityPicture, Ball, Invitation, Network, Registration
from networks.views.balls import JUST_SENT
from tests.ambassadors.factories import AmbassadorFactory, UnconfirmedAmbassadorFactory
from tests.evaluation.factories import QuestionFactory, RespondentFactory
from tests.pictures import jpeg
from themes.models import Theme
from udsathed import views as portal_views

PLAIN = 30  # "very easy": where the most vulnerable read first
EASY = 35
MEDIUM = 45


@dataclass(frozen=True)
class Visit:
    label: str
    path: str  # without the language prefix
    method: str = "get"
    data: dict = field(default_factory=dict)
    login: str = ""  # the ambassador's log-in link to follow first
    staff: bool = False
    cookie: str = ""  # a cookie the page reads, set to "1" first
    status: int = 200
    lix: float = MEDIUM
    render: Callable | None = None  # an error page: a view called with a request

    def url(self, language: str) -> str:
        return self.path if language == "da" else f"/en{self.path}"

    @property
    def by_client(self) -> bool:
        return self.method != "get" or self.render is not None


class Site:
    """The data behind the pages, made once per test."""

    def __init__(self, staff_user=None):
        call_command("seed_demo", "--force")
        self.staff_user = staff_user
        self.now = timezone.now()
        self.ambassador = AmbassadorFactory(name="Åse Ørnebjerg", accepts_newsletter=True)
        self.login = reverse(
            "ambassadors:ambassador-login", args=[make_token(self.ambassador, "login")]
        )
        self.leaver = AmbassadorFactory(name="Bent Hansen")
        self.leaver_login = reverse(
            "ambassadors:ambassador-login", args=[make_token(self.leaver, "login")]
        )
        self.unconfirmed = UnconfirmedAmbassadorFactory(name="Carla Jensen")
        self.past = self._past_activity()
        self.upcoming = Activity.objects.upcoming().order_by("starts_at").first()
        self.registration = Registration.objects.filter(
            activity=self.upcoming, status="registered"
        ).first()
        self.respondent = self._respondent()

    def _past_activity(self) -> Activity:
        past = Activity.objects.past().exclude(summary="").order_by("-starts_at").first()
        for n, alt in enumerate(["Ambassadører rundt om et bord", "En tavle med gule sedler"]):
            ActivityPicture.objects.create(
                activity=past,
                image=jpeg(name=f"billede{n}.jpg"),
                alt_text=alt,
                caption="Fra mødet" if n else "",
                position=n,
            )
        return past

    def _respondent(self):
        question = QuestionFactory(
            text="Hvor godt er du blevet inddraget?",
            round__title="Evaluering af året",
            round__summary="Vi spurgte ambassadørerne, hvordan det går.",
        )
        QuestionFactory(round=question.round, kind="text", text="Hvad skal vi gøre bedre?")
        return RespondentFactory(round=question.round, ambassador=self.ambassador)


def _home(site):
    return [Visit("home", "/", lix=EASY)]


def _theme_list(site):
    return [Visit("theme list", "/temaer/")]


def _theme_detail(site):
    return [Visit(f"theme {n}", f"/temaer/{n}/") for n in (1, 12)]


def _corearea_detail(site):
    return [Visit("core area", "/kerneomraader/bolig/")]


def _about(site):
    return [Visit("about", "/om/")]


def _accessibility(site):
    return [Visit("accessibility statement", "/tilgaengelighed/")]


def _ambassador_list(site):
    return [Visit("ambassador directory", "/ambassadoerer/")]


def _signup(site):
    path = reverse("ambassadors:ambassador-signup")
    return [
        Visit("sign-up", path, lix=EASY),
        Visit("sign-up with errors", path, method="post", data={"name": ""}, lix=EASY),
    ]


def _signup_done(site):
    return [Visit("check your e-mail (sign-up)", reverse("ambassadors:ambassador-signup-done"))]


def _confirm(site):
    token = make_token(site.unconfirmed, "confirm")
    path = reverse("ambassadors:ambassador-confirm", args=[token])
    return [
        Visit("confirm", path),
        Visit("confirmed", path, method="post"),
        Visit(
            "link no longer valid",
            reverse("ambassadors:ambassador-confirm", args=["x"]),
            status=400,
        ),
    ]


def _stay(site):
    path = reverse("ambassadors:ambassador-stay", args=[make_token(site.ambassador, "stay")])
    return [Visit("stay an ambassador", path), Visit("stayed", path, method="post")]


def _self(site):
    path = reverse("ambassadors:ambassador-self")
    return [Visit("my page", path, login=site.login)]


def _login_request(site):
    path = reverse("ambassadors:login-request")
    return [
        Visit("log-in request", path),
        Visit(
            "check your e-mail (log-in)",
            path,
            method="post",
            data={"email": site.ambassador.email},
        ),
    ]


def _story_create(site):
    return [Visit("tell a story", reverse("ambassadors:story-create"), login=site.login)]


def _withdraw(site):
    path = reverse("ambassadors:ambassador-withdraw")
    return [
        Visit("withdraw", path, login=site.leaver_login),
        Visit("you have withdrawn", path, method="post", login=site.leaver_login),
    ]


def _certificate_verify(site):
    valid = Certificate.objects.filter(ambassador=site.ambassador).first()
    revoked = Certificate.objects.create(
        ambassador=site.leaver, revoked_at=site.now, revoked_reason="Udmeldt"
    )
    return [
        Visit("valid certificate", valid.get_absolute_url()) if valid else None,
        Visit("revoked certificate", revoked.get_absolute_url()),
    ]


def _ball_create(site):
    path = reverse("networks:ball-create")
    return [
        Visit("ball form", path, lix=PLAIN),
        Visit("ball form with errors", path, method="post", data={"title": ""}, lix=PLAIN),
    ]


def _ball_status(site):
    balls = Ball.objects.exclude(public_answer="").order_by("pk")
    declined = balls.filter(state="declined").first()
    fresh = Ball.objects.filter(state="received").first() or balls.first()
    return [
        Visit("ball status", fresh.get_absolute_url(), lix=PLAIN),
        Visit("ball receipt", fresh.get_absolute_url(), cookie=JUST_SENT, lix=PLAIN),
        Visit("ball status answered", declined.get_absolute_url(), lix=PLAIN),
    ]


def _ball_public_list(site):
    path = reverse("networks:ball-public-list")
    return [
        Visit("public balls", path),
        Visit("public balls filtered", f"{path}?state=declined"),
    ]


def _ball_public_detail(site):
    ball = Ball.objects.published().exclude(public_answer="").order_by("pk").first()
    return [Visit("public ball", ball.get_public_url())]


def _invitation(site):
    invited = UnconfirmedAmbassadorFactory(
        name="Dorte Invitert", invited_at=site.now, invited_from="liste.xlsx"
    )
    path = reverse("ambassadors:ambassador-invitation", args=[make_token(invited, "invite")])
    return [
        Visit("invitation", path),
        Visit("invitation declined", path, method="post", data={"answer": "no"}),
    ]


def _network_list(site):
    return [Visit("networks", reverse("networks:network-list"))]


def _network_detail(site):
    networks = [Network.objects.get(kind="standing"), Network.objects.filter(state="closed")[0]]
    return [Visit(f"network {n.slug}", n.get_absolute_url()) for n in networks]


def _invitation_answer(site):
    network = Network.objects.get(kind="standing")
    invitation = Invitation.objects.create(network=network, ambassador=site.ambassador)
    path = reverse("networks:invitation-answer", args=[invitation.token])
    return [Visit("invitation", path)]


def _activity_list(site):
    path = reverse("networks:activity-list")
    return [Visit("activities", path), Visit("past activities", f"{path}?tid=tidligere")]


def _activity_detail(site):
    return [
        Visit("upcoming activity", site.upcoming.get_absolute_url()),
        Visit("past activity with minutes and pictures", site.past.get_absolute_url()),
        Visit(
            "registration with errors",
            site.upcoming.get_absolute_url(),
            method="post",
            data={"name": ""},
        ),
    ]


def _registration_cancel(site):
    path = reverse("networks:registration-cancel", args=[site.registration.token])
    return [Visit("cancel registration", path), Visit("cancelled", path, method="post")]


def _registration_ticket(site):
    return [
        Visit("ticket", reverse("networks:registration-ticket", args=[site.registration.token]))
    ]


def _newsletter_list(site):
    return [Visit("newsletters", reverse("newsletter-list"))]


def _newsletter_detail(site):
    newsletter = Newsletter.objects.published().first()
    return [Visit("newsletter", reverse("newsletter-detail", args=[newsletter.slug]))]


def _newsletter_unsubscribe(site):
    path = reverse("newsletter-unsubscribe", args=[make_token(site.ambassador, "unsubscribe")])
    return [Visit("unsubscribe", path), Visit("unsubscribed", path, method="post")]


def _dashboard(site):
    return [Visit("dashboard", reverse("evaluation:dashboard"), staff=True)]


def _progress(site):
    return [Visit("progress", reverse("evaluation:progress"))]


def _round_list(site):
    return [Visit("evaluation rounds", reverse("evaluation:round-list"))]


def _round_detail(site):
    rounds = EvaluationRound.objects.order_by("pk")  # the demo's round, then the test's
    return [Visit(f"evaluation round {r.slug}", r.get_absolute_url()) for r in rounds]


def _response_create(site):
    path = reverse("evaluation:response-create", args=[site.respondent.token])
    return [
        Visit("questionnaire", path),
        Visit("questionnaire answered", path, method="post", data=_answers(site.respondent)),
    ]


def _answers(respondent) -> dict:
    return {
        f"q{q.pk}": "4" if q.kind == "scale" else "Godt" for q in respondent.round.questions.all()
    }


def _privacy(site):
    return [Visit("privacy", reverse("privacy"))]


def _errors(site):
    factory = RequestFactory()

    def view(function, *args):
        def render(language):
            request = factory.get("/")
            request.LANGUAGE_CODE = language
            with translation.override(language):
                return function(request, *args)

        return render

    return [
        Visit("page not found", "/findes-ikke/", status=404),
        Visit("bad request", "/fejl/400/", render=view(defaults.bad_request, None), status=400),
        Visit(
            "forbidden",
            "/fejl/403/",
            render=view(defaults.permission_denied, PermissionDenied()),
            status=403,
        ),
        Visit("server error", "/fejl/500/", render=view(portal_views.server_error), status=500),
        Visit(
            "too many requests",
            "/fejl/429/",
            render=view(portal_views.ratelimited, None),
            status=429,
        ),
    ]


PUBLIC_PAGES: dict[str, Callable[[Site], list]] = {
    "themes:home": _home,
    "themes:theme-list": _theme_list,
    "themes:theme-detail": _theme_detail,
    "themes:corearea-detail": _corearea_detail,
    "themes:about": _about,
    "themes:accessibility": _accessibility,
    "ambassadors:ambassador-list": _ambassador_list,
    "ambassadors:ambassador-signup": _signup,
    "ambassadors:ambassador-signup-done": _signup_done,
    "ambassadors:ambassador-confirm": _confirm,
    "ambassadors:ambassador-stay": _stay,
    "ambassadors:ambassador-self": _self,
    "ambassadors:login-request": _login_request,
    "ambassadors:story-create": _story_create,
    "ambassadors:ambassador-withdraw": _withdraw,
    "ambassadors:certificate-verify": _certificate_verify,
    "networks:ball-create": _ball_create,
    "networks:ball-status": _ball_status,
    "networks:ball-public-list": _ball_public_list,
    "networks:ball-public-detail": _ball_public_detail,
    "ambassadors:ambassador-invitation": _invitation,
    "networks:network-list": _network_list,
    "networks:invitation-answer": _invitation_answer,
    "networks:network-detail": _network_detail,
    "networks:activity-list": _activity_list,
    "networks:registration-cancel": _registration_cancel,
    "networks:registration-ticket": _registration_ticket,
    "networks:activity-detail": _activity_detail,
    "newsletter-list": _newsletter_list,
    "newsletter-unsubscribe": _newsletter_unsubscribe,
    "newsletter-detail": _newsletter_detail,
    "evaluation:dashboard": _dashboard,
    "evaluation:progress": _progress,
    "evaluation:round-list": _round_list,
    "evaluation:round-detail": _round_detail,
    "evaluation:response-create": _response_create,
    "privacy": _privacy,
}

NOT_PAGES = {
    "ambassadors:ambassador-login": "a redirect that logs the ambassador in (used by my page)",
    "ambassadors:logout": "a POST that logs out and redirects",
    "ambassadors:certificate-download": "a PDF download",
    "ambassadors:ambassador-export": "a JSON download",
    "ambassadors:newsletter-opt-out": "a POST from my page that redirects back to it",
    "ambassadors:story-picture": "a picture file",
    "networks:network-join": "a POST from the network page that redirects",
    "networks:registration-ticket-qr": "an SVG picture",
    "networks:activity-calendar-feed": "an iCalendar feed",
    "networks:activity-feed": "an Atom feed",
    "networks:activity-picture": "a picture file",
    "networks:activity-calendar": "an iCalendar download",
    "newsletter-feed": "an Atom feed",
    "evaluation:dashboard-pdf": "a PDF download",
    "evaluation:dashboard-csv": "a CSV download",
    "evaluation:dashboard-xlsx": "an Excel download",
    "networks:ball-feed": "an Atom feed",
    "networks:ball-consent": "a POST from the ball's status page that redirects back to it",
}


def public_url_names() -> set[str]:
    """The named URL patterns under the language prefix, walked from udsathed.urls."""
    names: set[str] = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    for entry in get_resolver("udsathed.urls").url_patterns:
        if isinstance(entry, URLResolver) and "LocalePrefixPattern" in type(entry.pattern).__name__:
            walk(entry.url_patterns, "")
    return names


def public_visits(site: Site) -> list[Visit]:
    visits = [v for build in PUBLIC_PAGES.values() for v in build(site) if v is not None]
    return visits + _errors(site)


def admin_visits(site: Site) -> list[Visit]:
    """The admin pages staff use, the custom ones among them; Danish only."""
    ball_ids = list(Ball.objects.filter(state="received").values_list("pk", flat=True)[:3])
    story = Story.objects.filter(state="submitted").first()
    round_id = site.respondent.round_id
    paths = [
        "/admin/",
        "/admin/themes/theme/",
        f"/admin/themes/theme/{Theme.objects.first().pk}/change/",
        "/admin/themes/corearea/",
        "/admin/ambassadors/ambassador/",
        "/admin/ambassadors/ambassador/add/",
        "/admin/ambassadors/story/",
        f"/admin/ambassadors/story/{story.pk}/change/",
        "/admin/ambassadors/newsletter/",
        "/admin/networks/ball/",
        f"/admin/networks/ball/{ball_ids[0]}/change/",
        "/admin/networks/network/",
        f"/admin/networks/network/{Network.objects.get(kind='standing').pk}/match/",
        "/admin/networks/activity/",
        f"/admin/networks/activity/{site.upcoming.pk}/change/",
        f"/admin/networks/activity/{site.upcoming.pk}/checkin/",
        "/admin/evaluation/evaluationround/",
        f"/admin/evaluation/evaluationround/{round_id}/results/",
        "/admin/evaluation/goal/",
        "/admin/evaluation/goal/add/",
        "/admin/evaluation/indicator/",
        "/admin/evaluation/indicator/add/",
        # Searches, filters and the add forms staff use most.
        "/admin/themes/theme/?q=fællesskaber",
        "/admin/themes/strategy/",
        "/admin/themes/corearea/add/",
        "/admin/ambassadors/ambassador/?state=active",
        "/admin/ambassadors/newsletter/add/",
        "/admin/networks/ball/add/",
        "/admin/networks/network/add/",
        "/admin/networks/activity/add/",
    ]
    visits = [Visit(path, path, staff=True) for path in paths]
    visits.append(
        Visit(
            "bulk answer",
            "/admin/networks/ball/",
            method="post",
            staff=True,
            data={"action": "answer_selected", "_selected_action": ball_ids},
        )
    )
    return visits


def render_by_client(visit: Visit, language: str, *, site: Site) -> tuple[int, str]:
    """A POST state or an error page as the portal renders it; every change is rolled back."""
    if visit.render is not None:
        response = visit.render(language)
        return response.status_code, response.content.decode()
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    with transaction.atomic():
        if visit.staff:
            client.force_login(site.staff_user)
        if visit.login:
            client.get(visit.login)
        response = client.post(visit.url(language), visit.data, follow=True)
        transaction.set_rollback(True)
    return response.status_code, response.content.decode()
