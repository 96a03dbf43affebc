"""Demo content: ambassadors, the standing network, historical and current ad hoc networks, and
balls in every state, so a newcomer sees a living portal after `make run`.

Everything demo is recognisable (e-mails `demo.*@example.dk`, the network slugs below, ball
tokens starting `demo-`, staff usernames `demo-leder-*`), which is what lets `seed_demo --reset`
remove it again without touching real data.
Counts scale with `scale`; at scale 1 balls go through the real services so their history is
real. Larger scales (a later issue) should use bulk paths for the high-volume rows.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker

from ambassadors.models import Ambassador, AmbassadorKind, Participation, ParticipationKind
from networks import services
from networks.models import (
    Activity,
    ActivityState,
    Ball,
    BallEvent,
    BallState,
    Membership,
    MembershipRole,
    Network,
    NetworkKind,
    NetworkState,
    Registration,
)
from networks.services import publication
from themes.models import CoreArea, Strategy, Theme
from themes.services import STRATEGY_DIR, strategy_load

SEED = 2026
DEMO_EMAIL_PREFIX = "demo."
DEMO_STAFF_PREFIX = "demo-leder-"
DEMO_TOKEN_PREFIX = "demo-"  # noqa: S105 - a marker, not a secret
QUIET_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}

STANDING = {
    "slug": "det-tvaerfaglige-handlingsnetvaerk",
    "name": "Det tværfaglige handlingsnetværk",
    "purpose": (
        "Ledere fra kommunen, foreninger og erhvervslivet, der mødes hver måned og giver hver "
        "bold en retning. Medlemmerne har mandat til at sætte noget i gang med det samme og til "
        "at bede deres egne organisationer om at bidrage."
    ),
    "name_en": "The cross-sector action network",
    "purpose_en": (
        "Leaders from the municipality, associations and businesses who meet every month and "
        "give every ball a direction. The members can start something at once and ask their "
        "own organisations to help."
    ),
}

# name, slug, start, end, citizen-driven, purpose, outcome
HISTORICAL = [
    (
        "Hjemløse i vinteren 2018/2019",
        "hjemloese-vinter-2018-2019",
        date(2018, 10, 1),
        date(2019, 3, 31),
        False,
        "Finde varme sovepladser og et måltid til byens hjemløse gennem den kolde vinter.",
        "Ekstra sovepladser blev åbnet i de koldeste uger, og frivillige kørte suppe ud "
        "om aftenen. Erfaringerne blev brugt, da varmestuen senere fik længere åbningstider.",
    ),
    (
        "Et uformelt mødested",
        "et-uformelt-moedested",
        date(2018, 9, 1),
        date(2019, 12, 31),
        False,
        "Skabe et sted, hvor man kan komme uden aftale, drikke en kop kaffe og tale med nogen.",
        "Et lokale i midtbyen holdt åbent to eftermiddage om ugen med frivillige værter. Flere "
        "gæster blev selv værter med tiden.",
    ),
    (
        "Sociale Frikort",
        "sociale-frikort",
        date(2019, 1, 1),
        date(2020, 6, 30),
        False,
        "Hjælpe borgere og arbejdspladser i gang med småjobs under ordningen om sociale frikort.",
        "Et lille antal borgere fik deres første løn i mange år, og tre lokale virksomheder "
        "lavede faste aftaler om småopgaver.",
    ),
    (
        "Fredericia Fælles",
        "fredericia-faelles",
        date(2019, 3, 1),
        date(2020, 3, 31),
        False,
        "Samle byens foreninger om fælles arrangementer, hvor alle kan være med uanset pengepung.",
        "To store fællesdage med gratis aktiviteter og en fælles kalender for foreningerne.",
    ),
    (
        "Evaluering af misbrugsområdet",
        "evaluering-af-misbrugsomraadet",
        date(2019, 8, 1),
        date(2020, 5, 31),
        False,
        "Høre brugere, pårørende og medarbejdere om, hvad der virker i hjælpen mod misbrug.",
        "En samling anbefalinger blev givet videre til det politiske udvalg og brugt i det "
        "videre arbejde med tilbuddene.",
    ),
    (
        "Bofællesskab på Frejasvej",
        "bofaellesskab-paa-frejasvej",
        date(2019, 5, 1),
        date(2020, 12, 31),
        True,
        "Borgere, der selv ønskede at bo sammen og støtte hinanden, fandt og indrettede "
        "en lejlighed.",
        "Beboerne flyttede ind og har selv holdt fællesskabet i gang med hjælp fra en frivillig "
        "kontaktperson.",
    ),
]

# The networks' texts in English, by slug (name, purpose, outcome).
NETWORKS_EN = {
    "hjemloese-vinter-2018-2019": (
        "Homeless in the winter of 2018/2019",
        "Find warm places to sleep and a meal for the town's homeless through the cold winter.",
        "Extra beds were opened in the coldest weeks, and volunteers drove out soup in the "
        "evenings. What was learnt was used when the warming centre later opened for longer.",
    ),
    "et-uformelt-moedested": (
        "An informal meeting place",
        "Make a place where you can drop in without an appointment, have a cup of coffee and "
        "talk to someone.",
        "A room in the town centre stayed open two afternoons a week with volunteer hosts. "
        "In time, several guests became hosts themselves.",
    ),
    "sociale-frikort": (
        "Social free cards",
        "Help citizens and workplaces get started with small jobs under the social free card "
        "scheme.",
        "A few citizens got their first pay in many years, and three local businesses made "
        "lasting agreements about small tasks.",
    ),
    "fredericia-faelles": (
        "Fredericia Together",
        "Bring the town's associations together for events where everyone can take part, "
        "whatever their means.",
        "Two big community days with free activities and a shared calendar for the associations.",
    ),
    "evaluering-af-misbrugsomraadet": (
        "Evaluation of the addiction services",
        "Hear users, relatives and staff about what works in the help against addiction.",
        "A set of recommendations was passed on to the political committee and used in the "
        "further work with the services.",
    ),
    "bofaellesskab-paa-frejasvej": (
        "Shared home on Frejasvej",
        "Citizens who wanted to live together and support each other found and furnished a flat.",
        "The residents moved in and have kept the community going themselves, helped by a "
        "volunteer contact person.",
    ),
    "ensomme-maend-over-60": (
        "Lonely men over 60",
        "Find and invite older men who sit alone to communities around a workshop and food.",
        "",
    ),
    "fra-frivillig-til-job": (
        "From volunteer to job",
        "Build a bridge from volunteering to paid hours for citizens far from the labour market.",
        "",
    ),
    "varmestue-vinteren-2026-27": (
        "Warming centre in the winter of 2026/27",
        "Keep the warming centre open at weekends and on public holidays through the winter.",
        "",
    ),
}
EXPECTED_RESULT = "Et konkret tilbud, der kører videre uden netværket."
EXPECTED_RESULT_EN = "A concrete offer that carries on without the network."

CURRENT = [
    (
        "Ensomme mænd over 60",
        "ensomme-maend-over-60",
        "Finde og invitere ældre mænd, der sidder alene, til fællesskaber omkring værksted og mad.",
    ),
    (
        "Fra frivillig til job",
        "fra-frivillig-til-job",
        "Bygge bro fra frivilligt arbejde til løntimer for borgere langt fra arbejdsmarkedet.",
    ),
    (
        "Varmestue vinteren 2026/27",
        "varmestue-vinteren-2026-27",
        "Sikre åbent på varmestuen i weekender og helligdage gennem vinteren.",
    ),
]

SKILLS = [
    "kan køre bil og hente folk",
    "erfaring med gældsrådgivning",
    "har lokaler i Erritsø",
    "laver mad til mange",
    "taler arabisk og dansk",
    "kender foreningslivet i Taulov",
    "har været hjemløs selv og kan fortælle om det",
    "kan reparere cykler",
    "arbejder med unge i sportsklub",
    "erfaring med bestyrelsesarbejde",
    "kan skrive ansøgninger",
    "har en stor kontaktflade blandt virksomheder",
    "er uddannet sygeplejerske",
]

BALLS = [
    (
        "idea",
        "Flere bænke ved havnen",
        "Mange går tur ved havnen, men der er få steder at sidde "
        "og snakke. Flere bænke ville gøre det lettere at falde i snak.",
    ),
    (
        "concern",
        "Varmestuen lukker for tidligt",
        "Om vinteren står folk udenfor, når varmestuen "
        "lukker kl. 15. Kan den holde åbent til aften?",
    ),
    (
        "challenge",
        "Ensomhed i boligområdet",
        "I vores opgang bor flere ældre alene, som vi "
        "sjældent ser. Hvordan kan vi invitere dem med?",
    ),
    (
        "idea",
        "Frivillige chauffører",
        "Nogle kan ikke komme til lægen eller til fællesspisning. "
        "Frivillige med bil kunne køre dem.",
    ),
    (
        "concern",
        "Gæld efter fængsel",
        "Folk, der kommer ud, har ofte stor gæld og giver op. Der "
        "mangler hjælp til at få overblik.",
    ),
    (
        "challenge",
        "Fra herberg til egen bolig",
        "Det er svært at finde en bolig til en pris, man kan betale, når man bor på herberg.",
    ),
    (
        "idea",
        "Fællesspisning hver fredag",
        "En fast fællesspisning med lav pris, hvor alle kan komme, også uden at kende nogen.",
    ),
    ("idea", "Tøjbytte i biblioteket", "En gang om måneden kunne man bytte tøj og sko gratis."),
    (
        "concern",
        "Unge hænger ud ved stationen",
        "Der er unge, som ikke har noget sted at være om "
        "aftenen. Kan klubberne holde længere åbent?",
    ),
    (
        "idea",
        "Motion for alle i parken",
        "Gratis motion i parken om morgenen, hvor man ikke behøver udstyr eller medlemskab.",
    ),
    (
        "challenge",
        "Psykisk sårbare uden netværk",
        "Efter indlæggelse står mange alene. Der mangler nogen at ringe til.",
    ),
    (
        "idea",
        "Lektiehjælp for voksne",
        "Voksne, der vil tage en uddannelse, kunne få hjælp til dansk og matematik af frivillige.",
    ),
]

# For each ball above: the steps it takes (state, public note).
PATHS = [
    [],
    [("assessing", "")],
    [("passed", "Netværket ser på det."), ("in_action", "Vi er gået i gang.")],
    [("passed", ""), ("done", "Der er nu et hold af frivillige chauffører. Tak for idéen!")],
    [("assessing", ""), ("passed", "Vi giver den videre til netværket.")],
    [
        (
            "declined",
            "Vi kan ikke skaffe boliger selv, men har givet sagen videre til "
            "boligselskaberne og vil følge op i næste års plan.",
        )
    ],
    [("passed", ""), ("in_action", ""), ("done", "Fællesspisningen starter i næste måned.")],
    [("assessing", "")],
    [],
    [("passed", "")],
    [
        ("assessing", ""),
        (
            "declined",
            "Det ligger uden for strategien, men vi har sendt idéen videre til sundhedsområdet.",
        ),
    ],
    [
        (
            "duplicate",
            "Tak for din bold. Den samme idé er allerede kommet til os som “Flere bænke ved "
            "havnen”, så vi tager de to sammen og arbejder videre med den.",
        )
    ],
]

# The balls whose senders agreed to a public record, and for those published: the public title
# and summary staff wrote in their own words (index into BALLS). One was declined: the public
# pages show a "no" with its reason.
CONSENTED = {1, 2, 3, 4, 5, 6, 10}
PUBLISHED = {
    2: (
        "Ensomhed i et boligområde",
        "Beboere fortalte, at mange i området sidder alene. Et netværk arbejder nu med faste "
        "mødesteder sammen med boligsociale medarbejdere.",
    ),
    3: (
        "Kørsel til aktiviteter",
        "Nogle kan ikke komme til aktiviteter, fordi de ikke har transport. Forslaget var "
        "frivillige chauffører.",
    ),
    5: (
        "Vejen fra herberg til egen bolig",
        "Det er svært at finde en bolig til en pris, man kan betale, efter et ophold på herberg.",
    ),
    6: (
        "Fællesspisning til en lav pris",
        "Forslag om en fast, billig fællesspisning, hvor alle kan komme, også uden at kende nogen.",
    ),
    10: (
        "Støtte efter indlæggelse",
        "Mange står alene efter en psykiatrisk indlæggelse og savner nogen at tale med.",
    ),
}


# kind, title, days from today, capacity, summary (for held ones)
ACTIVITIES = [
    ("plenary", "Stormøde forår", -200, 80, "Vi så tilbage på året og dannede to nye netværk."),
    (
        "theme_day",
        "Temadag om ensomhed",
        -120,
        40,
        "Oplæg fra borgere og gode idéer til mødesteder.",
    ),
    (
        "dialogue",
        "Dialogmøde med boligselskaberne",
        -45,
        25,
        "Aftale om fast kontakt om udsættelser.",
    ),
    ("plenary", "Stormøde efterår", 21, 80, ""),
    ("workshop", "Workshop: fra idé til handling", 35, 3, ""),
    ("network_meeting", "Netværksmøde: varmestuen", 9, None, ""),
]
# The activities' titles and minutes in English, by Danish title.
ACTIVITIES_EN = {
    "Stormøde forår": (
        "Spring plenary meeting",
        "We looked back on the year and formed two new networks.",
    ),
    "Temadag om ensomhed": (
        "Theme day on loneliness",
        "Talks by citizens and good ideas for meeting places.",
    ),
    "Dialogmøde med boligselskaberne": (
        "Dialogue meeting with the housing associations",
        "An agreement on regular contact about evictions.",
    ),
    "Stormøde efterår": ("Autumn plenary meeting", ""),
    "Workshop: fra idé til handling": ("Workshop: from idea to action", ""),
    "Netværksmøde: varmestuen": ("Network meeting: the warming centre", ""),
}


def demo_exists() -> bool:
    return Network.objects.filter(slug=STANDING["slug"]).exists()


def demo_delete() -> None:
    from ambassadors.models import Newsletter, Story

    Newsletter.objects.filter(slug__startswith="demo-").delete()
    Story.objects.filter(
        ambassador__email__startswith=DEMO_EMAIL_PREFIX, ambassador__email__endswith="@example.dk"
    ).delete()
    slugs = [STANDING["slug"], *(row[1] for row in HISTORICAL), *(row[1] for row in CURRENT)]
    Ball.objects.filter(token__startswith=DEMO_TOKEN_PREFIX).delete()
    Activity.objects.filter(slug__startswith="demo-").delete()
    Network.objects.filter(slug__in=slugs).delete()
    Ambassador.objects.filter(
        email__startswith=DEMO_EMAIL_PREFIX, email__endswith="@example.dk"
    ).delete()
    get_user_model().objects.filter(username__startswith=DEMO_STAFF_PREFIX).delete()


def _pick(rng: random.Random, items: list, most: int) -> list:
    return rng.sample(items, rng.randint(0, min(most, len(items))))


def build_demo(*, scale: int = 1) -> dict[str, int]:
    """Create the demo content (in one transaction, with mail switched off) and return counts."""
    if Strategy.objects.active().first() is None:
        strategy_load(path=STRATEGY_DIR / "fredericia.toml")
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
    fake = Faker("da_DK")
    fake.seed_instance(SEED)
    themes = list(Theme.objects.of_active_strategy())
    areas = list(CoreArea.objects.of_active_strategy())
    now = timezone.now()
    today = timezone.localdate()
    with override_settings(MAILERS=QUIET_MAIL), transaction.atomic():
        ambassadors = _ambassadors(rng, fake, themes, areas, 60 * scale, now)
        staff = _staff(fake)
        networks = _networks(rng, staff, ambassadors, themes, areas, today)
        balls = _balls(rng, staff[0], networks, themes, now)
        activities = _activities(rng, ambassadors, networks, themes, now)
        stories, letters = _stories_and_newsletters(rng, ambassadors, staff[0], now)
        _answer_templates()
    return {
        "ambassadors": len(ambassadors),
        "networks": len(networks),
        "balls": balls,
        "activities": activities,
        "stories": stories,
        "newsletters": letters,
    }


def _ambassadors(rng, fake, themes, areas, count, now) -> list[Ambassador]:
    kinds = (
        [AmbassadorKind.CITIZEN] * 6
        + [AmbassadorKind.MUNICIPAL] * 2
        + [
            AmbassadorKind.ASSOCIATION,
            AmbassadorKind.COMPANY,
        ]
    )
    rows = []
    for i in range(count):
        kind = AmbassadorKind.ASSOCIATION if i < count // 5 else rng.choice(kinds)
        organisational = kind in AmbassadorKind.organisational()
        organisation = fake.company() if organisational else ""
        # Confirmed within the year, so the yearly check has no one to ask yet.
        confirmed = None if i % 20 == 19 else now - timedelta(days=rng.randint(20, 330))
        rows.append(
            Ambassador(
                kind=kind,
                name=fake.name(),
                email=f"{DEMO_EMAIL_PREFIX}{i}@example.dk",
                postcode=rng.choice(["7000"] * 6 + ["7080"] * 2 + ["6000", "8000"]),
                organisation_name=organisation,
                description=fake.paragraph(nb_sentences=2) if organisational else "",
                website=f"https://forening{i}.example.dk" if organisational else "",
                skills=", ".join(rng.sample(SKILLS, 2)).capitalize() + ".",
                show_in_directory=organisational,
                accepts_newsletter=rng.random() < 0.7,
                created_at=(confirmed or now) - timedelta(days=1),
                confirmed_at=confirmed,
                last_confirmed_at=confirmed,
            )
        )
    created = Ambassador.objects.bulk_create(rows)
    through_themes = Ambassador.themes.through
    through_areas = Ambassador.core_areas.through
    through_themes.objects.bulk_create(
        through_themes(ambassador=a, theme=t) for a in created for t in _pick(rng, themes, 4)
    )
    through_areas.objects.bulk_create(
        through_areas(ambassador=a, corearea=c) for a in created for c in _pick(rng, areas, 2)
    )
    # Uneven on purpose: a few take part a lot, many rarely or never ("the same few soldiers").
    participations = []
    for index, ambassador in enumerate(created):
        if ambassador.confirmed_at is None:
            continue
        times = 8 if index % 10 == 0 else (1 if index % 3 == 0 else 0)
        for _ in range(times):
            participations.append(
                Participation(
                    ambassador=ambassador,
                    kind=ParticipationKind.ACTIVITY,
                    occurred_on=timezone.localdate() - timedelta(days=rng.randint(5, 540)),
                    description="Stormøde",
                )
            )
    Participation.objects.bulk_create(participations)
    return created


def _staff(fake) -> list:
    User = get_user_model()
    staff = []
    for i in range(6):
        user = User(
            username=f"{DEMO_STAFF_PREFIX}{i}",
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            is_staff=True,
        )
        user.set_unusable_password()
        user.save()
        staff.append(user)
    return staff


def _networks(rng, staff, ambassadors, themes, areas, today) -> list[Network]:
    confirmed = [a for a in ambassadors if a.confirmed_at]
    standing = Network.objects.create(
        kind=NetworkKind.STANDING,
        state=NetworkState.ACTIVE,
        starts_on=date(2021, 9, 1),
        open_for_members=False,
        **STANDING,
    )
    for i, user in enumerate(staff):
        Membership.objects.create(
            network=standing,
            user=user,
            role=MembershipRole.LEAD if i < 2 else MembershipRole.MEMBER,
            mandate="Kan sætte medarbejdere og midler af til en indsats i eget område.",
        )
    networks = [standing]
    for name, slug, start, end, citizen, purpose, outcome in HISTORICAL:
        name_en, purpose_en, outcome_en = NETWORKS_EN[slug]
        networks.append(
            Network.objects.create(
                kind=NetworkKind.AD_HOC,
                name=name,
                name_en=name_en,
                slug=slug,
                starts_on=start,
                ends_on=end,
                citizen_driven=citizen,
                purpose=purpose,
                purpose_en=purpose_en,
                outcome=outcome,
                outcome_en=outcome_en,
                state=NetworkState.CLOSED,
                open_for_members=False,
            )
        )
    for name, slug, purpose in CURRENT:
        name_en, purpose_en, _ = NETWORKS_EN[slug]
        networks.append(
            Network.objects.create(
                kind=NetworkKind.AD_HOC,
                name=name,
                name_en=name_en,
                slug=slug,
                purpose=purpose,
                purpose_en=purpose_en,
                expected_result=EXPECTED_RESULT,
                expected_result_en=EXPECTED_RESULT_EN,
                starts_on=today - timedelta(days=rng.randint(20, 120)),
                ends_on=today + timedelta(days=rng.randint(60, 200)),
                state=NetworkState.ACTIVE,
            )
        )
    for network in networks:
        network.themes.set(rng.sample(themes, 3))
        network.core_areas.set(rng.sample(areas, 1))
        if network.is_standing:
            continue
        for position, ambassador in enumerate(rng.sample(confirmed, rng.randint(3, 8))):
            Membership.objects.create(
                network=network,
                ambassador=ambassador,
                role=MembershipRole.LEAD if position == 0 else MembershipRole.MEMBER,
                joined_on=network.starts_on or today,
            )
    return networks


def _activities(rng, ambassadors, networks, themes, now) -> int:
    """Past activities with attendance and minutes; upcoming ones open for registration."""
    confirmed = [a for a in ambassadors if a.confirmed_at]
    for kind, title, days, capacity, summary in ACTIVITIES:
        title_en, summary_en = ACTIVITIES_EN[title]
        start = (now + timedelta(days=days)).replace(hour=17, minute=0, second=0, microsecond=0)
        activity = Activity.objects.create(
            kind=kind,
            title=title,
            title_en=title_en,
            slug=f"demo-{slugify(title)}",
            description="Alle ambassadører og interesserede borgere er velkomne.",
            description_en="All ambassadors and interested citizens are welcome.",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            place_name="Fredericia Bibliotek",
            address="Prinsessegade 33, 7000 Fredericia",
            capacity=capacity,
            state=ActivityState.HELD if days < 0 else ActivityState.OPEN,
            summary=summary,
            summary_en=summary_en,
            network=networks[0] if kind == "network_meeting" else None,
        )
        activity.themes.set(rng.sample(themes, 2))
        for ambassador in rng.sample(confirmed, min(len(confirmed), 6)):
            try:
                registration = services.registration_create(
                    activity=activity,
                    name=ambassador.name,
                    email=ambassador.email,
                    ambassador=ambassador,
                )
            except ValidationError:
                break  # registration closed: past activities are filled below
            if days < 0:
                services.attendance_mark(registration=registration)
        if days < 0:
            for ambassador in rng.sample(confirmed, min(len(confirmed), 8)):
                registration = Registration.objects.create(
                    activity=activity,
                    ambassador=ambassador,
                    name=ambassador.name,
                    email=ambassador.email,
                )
                services.attendance_mark(registration=registration, attended=rng.random() < 0.8)
    return len(ACTIVITIES)


def _balls(rng, actor, networks, themes, now) -> int:
    standing = networks[0]
    current = [n for n in networks if n.state == NetworkState.ACTIVE and not n.is_standing]
    first = None
    for index, ((kind, title, text), path) in enumerate(zip(BALLS, PATHS, strict=True)):
        ball = services.ball_submit(
            kind=kind,
            title=title,
            description=text,
            themes=rng.sample(themes, 2),
            contact_email=f"{DEMO_EMAIL_PREFIX}afsender.{index}@example.dk" if index % 2 else "",
            publish_consent=index in CONSENTED,
        )
        first = first or ball
        for state, note in path:
            network = standing if state == BallState.PASSED and index % 3 else rng.choice(current)
            services.ball_transition(
                ball=ball,
                to_state=state,
                actor=actor,
                public_note=note,
                network=network if state in ("passed", "in_action") else None,
                duplicate_of=first if state == "duplicate" else None,
            )
        ball.refresh_from_db()
        updates = {"token": DEMO_TOKEN_PREFIX + ball.token[:30]}
        if ball.network_id:
            updates["public_title"] = title
        Ball.objects.filter(pk=ball.pk).update(**updates)
        # Spread the timeline over the last ten months; first responses after 1-20 days.
        received = now - timedelta(days=300 - index * 24 if path else 12 + index)
        step = timedelta(days=rng.randint(1, 20))
        Ball.objects.filter(pk=ball.pk).update(received_at=received)
        events = list(BallEvent.objects.filter(ball=ball).order_by("pk"))
        for position, event in enumerate(events):
            BallEvent.objects.filter(pk=event.pk).update(created_at=received + step * position)
        if path:
            Ball.objects.filter(pk=ball.pk).update(first_response_at=received + step)
            if path[-1][0] in BallState.closed():
                Ball.objects.filter(pk=ball.pk).update(closed_at=received + step * len(path))
        if index in PUBLISHED:
            public_title, summary = PUBLISHED[index]
            Ball.objects.filter(pk=ball.pk).update(
                public_title=public_title, public_summary=summary
            )
            event = publication.ball_publish(ball=ball, actor=actor)
            published = min(received + step * (len(path) + 1), now)
            Ball.objects.filter(pk=ball.pk).update(published_at=published)
            BallEvent.objects.filter(pk=event.pk).update(created_at=published)
    return len(BALLS)


STORIES = [
    ("Ny frivillig i varmestuen", "En ny frivillig står for kaffen hver tirsdag.", "accepted"),
    ("Fodboldturnering for alle", "Tolv hold mødtes i hallen, og alle fik medalje.", "accepted"),
    ("Vi fik en ny sofa", "En virksomhed gav værestedet en sofa; den blev brugt.", "submitted"),
    ("Min første dag", "Jeg vil fortælle om min første dag som ambassadør.", "declined"),
]


def _demo_picture(rng):
    """A small generated picture (stripes in the portal's colours) run through the pipeline."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    from udsathed.core.pictures import reencode_picture

    image = Image.new("RGB", (640, 400), (23, 50, 77))
    draw = ImageDraw.Draw(image)
    for n in range(8):
        draw.rectangle([n * 80, 0, n * 80 + 40, 400], fill=(179, 36, 91 + rng.randint(0, 60)))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return reencode_picture(SimpleUploadedFile("demo.png", out.getvalue()))


def _stories_and_newsletters(rng, ambassadors, leader, now) -> tuple[int, int]:
    """A few stories in each state, one sent newsletter in the archive and one draft."""
    from ambassadors import services as ambassador_services
    from ambassadors.models import (
        DeliveryStatus,
        Newsletter,
        NewsletterDelivery,
        NewsletterState,
        StoryState,
    )
    from ambassadors.services.newsletters import newsletter_render

    senders = [a for a in ambassadors if a.confirmed_at and not a.erased_at]
    stories = []
    for n, (title, text, state) in enumerate(STORIES):
        pictures = [(_demo_picture(rng), "Striber i blåt og rødt")] if n == 0 else []
        story = ambassador_services.story_submit(
            ambassador=senders[n % len(senders)],
            title=title,
            text=text,
            use="both",
            people_consented=bool(pictures),
            pictures=pictures,
        )
        if state == StoryState.ACCEPTED:
            ambassador_services.story_accept(story=story, user=leader)
        elif state == StoryState.DECLINED:
            ambassador_services.story_decline(
                story=story, reason="Vi mangler lidt mere om, hvad der skete.", user=leader
            )
        stories.append(story)
    sent = Newsletter.objects.create(
        title="Nyt fra fællesskabet",
        slug="demo-nyt-fra-faellesskabet",
        body="## Tak for et godt halvår\n\nHer er lidt af det, ambassadørerne har lavet.",
        created_by=leader,
    )
    sent.stories.set([s for s in stories if s.state == StoryState.ACCEPTED])
    sent.sent_html, sent.sent_text = newsletter_render(sent)
    sent.state = NewsletterState.SENT
    sent.send_started_at = sent.sent_at = now - timedelta(days=20)
    sent.save()
    NewsletterDelivery.objects.bulk_create(
        NewsletterDelivery(
            newsletter=sent, ambassador=a, status=DeliveryStatus.SENT, sent_at=sent.sent_at
        )
        for a in senders
        if a.accepts_newsletter and not a.lapsed_at
    )
    Newsletter.objects.create(
        title="Julebrev (kladde)",
        slug="demo-julebrev",
        body="Glædelig jul til alle ambassadører.",
        created_by=leader,
    )
    return len(stories), 2


ANSWER_TEMPLATES = [
    (
        "Tak – det er sat i gang",
        "done",
        "Tak for bolden. Den er nu løst, og vi har skrevet kort, hvad der skete, på siden.",
        "Thank you for the ball. It has been dealt with; the page says briefly what happened.",
    ),
    (
        "Uden for strategiens rammer",
        "declined",
        "Tak for bolden. Den ligger uden for det, strategien kan tage sig af, men vi har sendt "
        "dig videre til det rette sted.",
        "Thank you for the ball. It lies outside what the strategy can take on, but we have "
        "pointed you to the right place.",
    ),
]


def _answer_templates() -> None:
    from networks.models import AnswerTemplate

    for position, (title, state, text, text_en) in enumerate(ANSWER_TEMPLATES):
        AnswerTemplate.objects.get_or_create(
            title=title,
            defaults={"state": state, "text_da": text, "text_en": text_en, "position": position},
        )
