import factory
from django.utils import timezone

from ambassadors.models import (
    Ambassador,
    AmbassadorKind,
    Certificate,
    ConsentKind,
    ConsentRecord,
    Participation,
    ParticipationKind,
)


class AmbassadorFactory(factory.django.DjangoModelFactory):
    """A confirmed private citizen; use `UnconfirmedAmbassadorFactory` or traits for others."""

    class Meta:
        model = Ambassador

    kind = AmbassadorKind.CITIZEN
    name = factory.Faker("name", locale="da_DK")
    email = factory.Sequence(lambda n: f"ambassadoer{n}@example.dk")
    phone = ""
    postcode = "7000"
    skills = factory.Faker("sentence", locale="da_DK")
    accepts_newsletter = True
    created_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)
    last_confirmed_at = factory.SelfAttribute("confirmed_at")

    class Params:
        organisation = factory.Trait(
            kind=AmbassadorKind.ASSOCIATION,
            organisation_name=factory.Sequence(lambda n: f"Foreningen Fællesskab {n}"),
            description=factory.Faker("paragraph", locale="da_DK"),
            website=factory.Sequence(lambda n: f"https://forening{n}.example.dk"),
            show_in_directory=True,
        )

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def core_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.core_areas.set(extracted)


class UnconfirmedAmbassadorFactory(AmbassadorFactory):
    confirmed_at = None
    last_confirmed_at = None


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    ambassador = factory.SubFactory(AmbassadorFactory)
    kind = ParticipationKind.ACTIVITY
    occurred_on = factory.LazyFunction(timezone.localdate)
    description = "Stormøde"


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    ambassador = factory.SubFactory(AmbassadorFactory)
    number = factory.Sequence(lambda n: f"2026-{n + 1:05d}")
    holder_name = factory.SelfAttribute("ambassador.name")
    strategy_name = "Inkluderende fællesskaber og forebyggelse af udsathed"


class ConsentRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentRecord

    ambassador = factory.SubFactory(AmbassadorFactory)
    kind = ConsentKind.PRIVACY
    granted = True
    text_version = "2026-11"
    source = "sign-up form"
