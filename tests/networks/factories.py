from datetime import timedelta

import factory
from django.utils import timezone

from networks import services
from networks.models import (
    Activity,
    Ball,
    BallEvent,
    BallKind,
    BallState,
    Membership,
    MembershipRole,
    Network,
    NetworkKind,
    NetworkState,
)
from networks.services import ball_record_received
from tests.ambassadors.factories import AmbassadorFactory


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    kind = NetworkKind.AD_HOC
    name = factory.Sequence(lambda n: f"Netværk for fællesskab {n}")
    slug = factory.Sequence(lambda n: f"netvaerk-{n}")
    purpose = factory.Faker("paragraph", locale="da_DK")
    state = NetworkState.ACTIVE
    starts_on = factory.LazyFunction(timezone.localdate)

    class Params:
        standing = factory.Trait(kind=NetworkKind.STANDING, name="Det stående handlingsnetværk")
        closed = factory.Trait(state=NetworkState.CLOSED, outcome="Et godt resultat.")

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    network = factory.SubFactory(NetworkFactory)
    ambassador = factory.SubFactory(AmbassadorFactory)
    role = MembershipRole.MEMBER


class BallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ball

    kind = BallKind.IDEA
    title = factory.Faker("sentence", nb_words=5, locale="da_DK")
    description = factory.Faker("paragraph", locale="da_DK")
    contact_email = factory.Sequence(lambda n: f"afsender{n}@example.dk")
    state = BallState.RECEIVED
    received_at = factory.LazyFunction(timezone.now)

    class Params:
        # On the public pages: the sender agreed, staff wrote the public texts and published.
        published = factory.Trait(
            publish_consent=True,
            public_title=factory.Sequence(lambda n: f"Offentlig titel {n}"),
            public_summary="Et resumé skrevet af projektlederne.",
            published_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def received_step(self, create, extracted, **kwargs):
        # Every ball's history starts with its "received" step, as ball_submit writes it.
        if create:
            ball_record_received(ball=self)


class BallEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BallEvent

    ball = factory.SubFactory(BallFactory)
    to_state = BallState.RECEIVED


def make_activity(**extra):
    start = timezone.now() + timedelta(days=14)
    values = {
        "kind": "plenary",
        "title": "Stormøde efterår",
        "description": "Vi mødes og ser frem.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "place_name": "Rådhuset",
        "address": "Gothersgade 20, 7000 Fredericia",
        "capacity": 2,
        "state": "open",
        **extra,
    }
    return Activity.objects.create(**values)


def register(activity, n, committed=None):
    call = committed or (lambda f, **kw: f(**kw))
    return call(
        services.registration_create,
        activity=activity,
        name=f"Person {n}",
        email=f"p{n}@example.dk",
    )


def run_worker():
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
