"""Every HTML e-mail has its language, a title and alternative texts, in Danish and English;
the ball's receipt is plain Danish (LIX 30 at most, like the page that shows it)."""

from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from ambassadors.models import Certificate, Newsletter, Story
from ambassadors.services.newsletters import newsletter_render
from networks.models import BallEvent
from tests.site_pages import PLAIN, Site
from tests.test_plain_language import running_text
from udsathed.core.mail import build_email
from udsathed.core.readability import lix

TEMPLATES = Path(settings.BASE_DIR) / "templates"
PARTS = {"ambassadors/email/base_email", "ambassadors/email/button"}


class MailStructure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang = None
        self.in_title = False
        self.title = ""
        self.images_without_alt: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        elif tag == "title":
            self.in_title = True
        elif (
            tag == "img"
            and not (attributes.get("alt") or "").strip()
            and attributes.get("role") != "presentation"
        ):
            self.images_without_alt.append(attributes.get("src", ""))

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data


def mail_templates() -> set[str]:
    found = {
        str(path.relative_to(TEMPLATES).with_suffix(""))
        for path in TEMPLATES.glob("*/email/*.html")
    }
    return found - PARTS


def contexts(site: Site) -> dict[str, dict]:
    url = f"{settings.PORTAL_BASE_URL}/"
    ambassador = site.ambassador
    story = Story.objects.filter(pictures__isnull=False).first()
    newsletter = Newsletter.objects.filter(stories__pictures__isnull=False).first()
    newsletter = newsletter or Newsletter.objects.published().first()
    certificate = Certificate.objects.filter(ambassador=ambassador).first() or (
        Certificate.objects.create(ambassador=ambassador)
    )
    event = BallEvent.objects.exclude(public_note="").select_related("ball").first()
    people = {"ambassador": ambassador, "name": ambassador.name}
    activity = {
        **people,
        "activity": site.upcoming,
        "registration": site.registration,
        "activity_link": url,
        "cancel_link": url,
        "ticket_link": url,
    }
    return {
        "ambassadors/email/confirm": {**people, "link": url, "days": 7},
        "ambassadors/email/login": {**people, "link": url, "minutes": 30},
        "ambassadors/email/welcome": {
            **people,
            "certificate": certificate,
            "verify_link": url,
            "login_link": url,
        },
        "ambassadors/email/stay": {**people, "link": url, "weeks": 4},
        "ambassadors/email/invitation": {
            **people,
            "reminder": False,
            "file_name": "liste.xlsx",
            "invited_on": timezone.localdate(),
            "delete_on": timezone.localdate(),
            "link": url,
        },
        "ambassadors/email/story_accepted": {**people, "story": story},
        "ambassadors/email/story_declined": {**people, "story": story},
        "ambassadors/email/newsletter": {"newsletter": newsletter, "unsubscribe_url": url},
        "evaluation/email/questionnaire": {**people, "round": site.respondent.round, "link": url},
        "networks/email/activity_invitation": activity,
        "networks/email/activity_reminder": activity,
        "networks/email/registration": activity,
        "networks/email/registration_promoted": activity,
        "networks/email/ball_receipt": {"ball": event.ball, "link": url},
        "networks/email/ball_step": {"ball": event.ball, "event": event, "link": url},
        "networks/email/invitation": {**people, "link": url, "ball": event.ball},
    }


def test_every_html_mail_has_lang_title_and_alt_texts_in_both_languages(fredericia, project_leader):
    site = Site(staff_user=project_leader)
    given = contexts(site)
    assert mail_templates() == set(given), "a mail template without a check here"
    problems = []
    for template, context in given.items():
        for language in ("da", "en"):
            if template.endswith("/newsletter"):
                content, text = newsletter_render(context["newsletter"], language)
                context = {**context, "content": content, "text": text}
            message = build_email(
                to="a@example.dk", template=template, context=context, language=language
            )
            html = message.alternatives[0].content
            mail = MailStructure()
            mail.feed(html)
            if mail.lang != language:
                problems.append(f"{template} [{language}]: lang={mail.lang!r}")
            if not mail.title.strip():
                problems.append(f"{template} [{language}]: no title")
            if mail.images_without_alt:
                problems.append(f"{template} [{language}]: no alt {mail.images_without_alt}")
            if template.endswith("/ball_receipt") and language == "da":
                body = html.replace("<body", "<main").replace("</body>", "</main>")
                score = lix(running_text(body))
                if score > PLAIN:
                    problems.append(f"{template}: LIX {score:.1f} > {PLAIN}")
    assert "<img" in newsletter_render(given["ambassadors/email/newsletter"]["newsletter"])[0]
    assert problems == [], "\n".join(problems)
