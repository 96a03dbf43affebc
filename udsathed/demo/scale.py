"""Scale data: `seed_demo --scale N` adds N municipalities' worth of made-up rows in bulk.

At N=1 that is about 500 ambassadors, 1,000 balls, 60 networks and 150 activities with
registrations and attendance, plus a few stories and newsletters; N=100 is the national figure
the benchmark (`make bench`) measures the pages against. Rows go in with `bulk_create` in
batches, so the services (mail, history rows, validation) are skipped on purpose: this is volume
for measuring, not a story to read. Everything is recognisable by the `scale-` prefix of e-mails,
slugs and tokens, which is what `scale_delete` removes.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from faker import Faker

from ambassadors.models import (
    Ambassador,
    AmbassadorKind,
    Newsletter,
    NewsletterState,
    Participation,
    ParticipationKind,
    Story,
    StoryState,
)
from networks.models import (
    Activity,
    ActivityKind,
    ActivityState,
    Ball,
    BallEvent,
    BallKind,
    BallState,
    Membership,
    MembershipRole,
    Network,
    NetworkKind,
    NetworkState,
    Registration,
    RegistrationStatus,
)
from themes.models import CoreArea, Strategy, Theme
from themes.services import STRATEGY_DIR, strategy_load

PREFIX = "scale-"
BATCH = 5_000
# Per municipality (N=1).
AMBASSADORS = 500
BALLS = 1_000
NETWORKS = 60
ACTIVITIES = 150
STORIES = 6
NEWSLETTERS = 2

Progress = Callable[[str, int, int], None]


def scale_exists() -> bool:
    return Network.objects.filter(slug__startswith=PREFIX).exists()


def scale_delete() -> None:
    """Remove scale rows (children first, so the cascades have little left to do)."""
    Ball.objects.filter(token__startswith=PREFIX).delete()
    Registration.objects.filter(activity__slug__startswith=PREFIX)._raw_delete("default")
    Activity.objects.filter(slug__startswith=PREFIX).delete()
    Membership.objects.filter(network__slug__startswith=PREFIX)._raw_delete("default")
    Network.objects.filter(slug__startswith=PREFIX).delete()
    Newsletter.objects.filter(slug__startswith=PREFIX).delete()
    ambassadors = Ambassador.objects.filter(email__startswith=PREFIX)
    Participation.objects.filter(ambassador__in=ambassadors)._raw_delete("default")
    Story.objects.filter(ambassador__in=ambassadors).delete()
    ambassadors.delete()


def _batched(model, rows: Iterable, label: str, total: int, progress: Progress) -> list:
    """bulk_create in batches of BATCH, reporting progress after each one."""
    created, batch = [], []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            created += model.objects.bulk_create(batch)
            batch = []
            progress(label, len(created), total)
    if batch:
        created += model.objects.bulk_create(batch)
    progress(label, len(created), len(created))  # the total was an estimate; this one is done
    return created


def _token() -> str:
    return PREFIX + secrets.token_urlsafe(18)


def build_scale(*, scale: int, progress: Progress | None = None, seed: int = 2026) -> dict:
    """Add `scale` municipalities of data in one transaction and return the counts."""
    progress = progress or (lambda label, done, total: None)
    if Strategy.objects.active().first() is None:
        strategy_load(path=STRATEGY_DIR / "fredericia.toml")
    rng = random.Random(seed)  # noqa: S311 - reproducible made-up data, not security
    fake = Faker("da_DK")
    fake.seed_instance(seed)
    # Faker is slow per call; a pool of names and companies mixed at random is plenty.
    first = [fake.first_name() for _ in range(300)]
    last = [fake.last_name() for _ in range(300)]
    companies = [fake.company() for _ in range(300)]
    sentences = [fake.sentence(nb_words=12) for _ in range(300)]
    themes = list(Theme.objects.of_active_strategy())
    areas = list(CoreArea.objects.of_active_strategy())
    now = timezone.now()
    today = timezone.localdate()
    start = Ambassador.objects.filter(email__startswith=PREFIX).count()

    with transaction.atomic():
        ambassadors = _ambassadors(
            rng, first, last, companies, sentences, themes, areas, scale, start, now, progress
        )
        confirmed = [a for a in ambassadors if a.confirmed_at]
        networks = _networks(rng, sentences, themes, confirmed, scale, start, today, progress)
        balls = _balls(rng, sentences, themes, networks, scale, now, progress)
        activities, registrations = _activities(
            rng, sentences, themes, networks, confirmed, scale, start, now, progress
        )
        stories, letters = _stories(rng, sentences, confirmed, scale, start, now)
    return {
        "ambassadors": len(ambassadors),
        "networks": len(networks),
        "balls": balls,
        "activities": activities,
        "registrations": registrations,
        "stories": stories,
        "newsletters": letters,
    }


def _ambassadors(
    rng, first, last, companies, sentences, themes, areas, scale, start, now, progress
):
    total = AMBASSADORS * scale
    kinds = [AmbassadorKind.CITIZEN] * 6 + [AmbassadorKind.MUNICIPAL] * 2
    kinds += [AmbassadorKind.ASSOCIATION, AmbassadorKind.COMPANY]

    def rows():
        for i in range(start, start + total):
            kind = rng.choice(kinds)
            organisational = kind in AmbassadorKind.organisational()
            confirmed = None if i % 20 == 19 else now - timedelta(days=rng.randint(20, 330))
            yield Ambassador(
                kind=kind,
                name=f"{rng.choice(first)} {rng.choice(last)}",
                email=f"{PREFIX}{i}@example.dk",
                postcode=rng.choice(["7000", "7080", "6000", "8000", "2100", "5000", "9000"]),
                organisation_name=rng.choice(companies) if organisational else "",
                description=rng.choice(sentences) if organisational else "",
                website=f"https://forening{i}.example.dk" if organisational else "",
                skills=rng.choice(sentences),
                show_in_directory=organisational,
                accepts_newsletter=rng.random() < 0.7,
                created_at=(confirmed or now) - timedelta(days=1),
                confirmed_at=confirmed,
                last_confirmed_at=confirmed,
            )

    created = _batched(Ambassador, rows(), "ambassadors", total, progress)
    through_themes = Ambassador.themes.through
    through_areas = Ambassador.core_areas.through
    _batched(
        through_themes,
        (
            through_themes(ambassador_id=a.pk, theme_id=t.pk)
            for a in created
            for t in rng.sample(themes, rng.randint(0, 3))
        ),
        "ambassador themes",
        total * 3 // 2,
        progress,
    )
    _batched(
        through_areas,
        (
            through_areas(ambassador_id=a.pk, corearea_id=c.pk)
            for a in created
            for c in rng.sample(areas, rng.randint(0, min(2, len(areas))))
        ),
        "ambassador core areas",
        total,
        progress,
    )

    def participations():
        # Uneven on purpose: a few take part a lot, many rarely or never.
        for index, ambassador in enumerate(created):
            if ambassador.confirmed_at is None:
                continue
            times = 6 if index % 10 == 0 else (1 if index % 3 == 0 else 0)
            for _ in range(times):
                yield Participation(
                    ambassador_id=ambassador.pk,
                    kind=ParticipationKind.ACTIVITY,
                    occurred_on=now.date() - timedelta(days=rng.randint(5, 540)),
                    description="Stormøde",
                )

    _batched(Participation, participations(), "participations", total, progress)
    return created


def _networks(rng, sentences, themes, confirmed, scale, start, today, progress):
    total = NETWORKS * scale

    def rows():
        for i in range(total):
            closed = i % 3 == 0
            begins = today - timedelta(days=rng.randint(30, 2500))
            yield Network(
                kind=NetworkKind.AD_HOC,
                name=f"Netværk {start // AMBASSADORS * NETWORKS + i + 1}",
                slug=f"{PREFIX}netvaerk-{start // AMBASSADORS * NETWORKS + i + 1}",
                purpose=rng.choice(sentences),
                expected_result=rng.choice(sentences),
                starts_on=begins,
                ends_on=begins + timedelta(days=rng.randint(60, 400)),
                citizen_driven=rng.random() < 0.2,
                state=NetworkState.CLOSED if closed else NetworkState.ACTIVE,
                outcome=rng.choice(sentences) if closed else "",
                open_for_members=not closed,
            )

    networks = _batched(Network, rows(), "networks", total, progress)
    through = Network.themes.through
    _batched(
        through,
        (through(network_id=n.pk, theme_id=t.pk) for n in networks for t in rng.sample(themes, 2)),
        "network themes",
        total * 2,
        progress,
    )

    def members():
        for network in networks:
            for position, ambassador in enumerate(rng.sample(confirmed, rng.randint(3, 8))):
                yield Membership(
                    network_id=network.pk,
                    ambassador_id=ambassador.pk,
                    role=MembershipRole.LEAD if position == 0 else MembershipRole.MEMBER,
                    joined_on=network.starts_on,
                )

    _batched(Membership, members(), "memberships", total * 5, progress)
    return networks


def _balls(rng, sentences, themes, networks, scale, now, progress):
    total = BALLS * scale
    active = [n for n in networks if n.state == NetworkState.ACTIVE]
    # state, weight: most balls are settled; some wait for a first response.
    states = [
        (BallState.RECEIVED, 8),
        (BallState.ASSESSING, 8),
        (BallState.PASSED, 15),
        (BallState.IN_ACTION, 15),
        (BallState.DONE, 30),
        (BallState.DECLINED, 18),
        (BallState.DUPLICATE, 6),
    ]
    population = [state for state, weight in states for _ in range(weight)]
    kinds = list(BallKind.values)

    def rows():
        for _ in range(total):
            state = rng.choice(population)
            received = now - timedelta(days=rng.uniform(1, 900))
            answered = state != BallState.RECEIVED or rng.random() < 0.3
            first = received + timedelta(days=rng.uniform(0.5, 20)) if answered else None
            closed = state in BallState.closed()
            network = (
                rng.choice(active) if state in (BallState.PASSED, BallState.IN_ACTION) else None
            )
            title = rng.choice(sentences)[:150]
            yield Ball(
                token=_token(),
                kind=rng.choice(kinds),
                title=title,
                description=rng.choice(sentences),
                public_title=title if network else "",
                state=state,
                network=network,
                public_answer=rng.choice(sentences) if state in ("done", "declined") else "",
                received_at=received,
                first_response_at=first,
                closed_at=first + timedelta(days=rng.uniform(1, 60)) if closed else None,
            )

    balls = _batched(Ball, rows(), "balls", total, progress)
    through = Ball.themes.through
    _batched(
        through,
        (through(ball_id=b.pk, theme_id=t.pk) for b in balls for t in rng.sample(themes, 2)),
        "ball themes",
        total * 2,
        progress,
    )

    def events():
        for ball in balls:
            yield BallEvent(
                ball_id=ball.pk,
                from_state="",
                to_state=BallState.RECEIVED,
                created_at=ball.received_at,
            )
            if ball.state != BallState.RECEIVED:
                yield BallEvent(
                    ball_id=ball.pk,
                    from_state="received",
                    to_state=ball.state,
                    network_id=ball.network_id,
                    public_note=ball.public_answer,
                    created_at=ball.first_response_at or ball.received_at,
                )

    _batched(BallEvent, events(), "ball events", total * 2, progress)
    return len(balls)


def _activities(rng, sentences, themes, networks, confirmed, scale, start, now, progress):
    total = ACTIVITIES * scale
    kinds = list(ActivityKind.values)
    offset = start // AMBASSADORS * ACTIVITIES

    def rows():
        for i in range(total):
            days = rng.randint(-700, 120)
            begins = (now + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
            yield Activity(
                kind=rng.choice(kinds),
                title=f"Aktivitet {offset + i + 1}",
                slug=f"{PREFIX}aktivitet-{offset + i + 1}",
                description=rng.choice(sentences),
                starts_at=begins,
                ends_at=begins + timedelta(hours=2),
                place_name="Biblioteket",
                address="Prinsessegade 33, 7000 Fredericia",
                capacity=rng.choice([None, 20, 40, 80]),
                state=ActivityState.HELD if days < 0 else ActivityState.OPEN,
                summary=rng.choice(sentences) if days < 0 else "",
                network=rng.choice(networks) if rng.random() < 0.2 else None,
            )

    activities = _batched(Activity, rows(), "activities", total, progress)
    through = Activity.themes.through
    _batched(
        through,
        (
            through(activity_id=a.pk, theme_id=t.pk)
            for a in activities
            for t in rng.sample(themes, 2)
        ),
        "activity themes",
        total * 2,
        progress,
    )
    attended = []

    def registrations():
        for activity in activities:
            held = activity.state == ActivityState.HELD
            for ambassador in rng.sample(confirmed, min(len(confirmed), rng.randint(4, 20))):
                came = held and rng.random() < 0.8
                if came:
                    attended.append((ambassador.pk, activity))
                yield Registration(
                    activity_id=activity.pk,
                    ambassador_id=ambassador.pk,
                    name=ambassador.name,
                    email=ambassador.email,
                    status=RegistrationStatus.REGISTERED,
                    attended=came,
                    token=_token(),
                    created_at=activity.starts_at - timedelta(days=rng.randint(1, 30)),
                )

    registered = _batched(Registration, registrations(), "registrations", total * 12, progress)
    _batched(
        Participation,
        (
            Participation(
                ambassador_id=pk,
                kind=ParticipationKind.ACTIVITY,
                occurred_on=timezone.localdate(activity.starts_at),
                description=activity.title,
            )
            for pk, activity in attended
        ),
        "attendance",
        len(attended),
        progress,
    )
    return len(activities), len(registered)


def _stories(rng, sentences, confirmed, scale, start, now):
    offset = start // AMBASSADORS
    stories = Story.objects.bulk_create(
        Story(
            ambassador_id=rng.choice(confirmed).pk,
            title=rng.choice(sentences)[:150],
            text=" ".join(rng.sample(sentences, 3)),
            use="both",
            state=StoryState.ACCEPTED if i % 3 else StoryState.SUBMITTED,
            submitted_at=now - timedelta(days=rng.randint(1, 400)),
            reviewed_at=now if i % 3 else None,
        )
        for i in range(STORIES * scale)
    )
    letters = []
    for i in range(NEWSLETTERS * scale):
        sent = now - timedelta(days=30 * (i + 1))
        body = " ".join(rng.sample(sentences, 4))
        letters.append(
            Newsletter(
                title=f"Nyhedsbrev {offset * NEWSLETTERS + i + 1}",
                slug=f"{PREFIX}nyhedsbrev-{offset * NEWSLETTERS + i + 1}",
                body=body,
                state=NewsletterState.SENT,
                send_started_at=sent,
                sent_at=sent,
                sent_html=f"<p>{body}</p>",
                sent_text=body,
            )
        )
    Newsletter.objects.bulk_create(letters)
    return len(stories), len(letters)
