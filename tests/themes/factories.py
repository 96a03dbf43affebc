import factory

from themes.models import CoreArea, Milestone, Postcode, SocialProblem, Strategy, Theme


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"strategi-{n}")
    name = factory.Sequence(lambda n: f"Strategi for fællesskaber {n}")
    name_en = factory.Sequence(lambda n: f"Strategy for communities {n}")
    municipality = factory.Faker("city", locale="da_DK")
    period_start = 2022
    period_end = 2026
    tagline = factory.Faker("sentence", locale="da_DK")
    purpose = factory.Faker("paragraph", locale="da_DK")
    target_group = factory.Faker("paragraph", locale="da_DK")
    is_active = True


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    strategy = factory.SubFactory(StrategyFactory)
    year = factory.Sequence(lambda n: 2018 + n % 8)
    position = factory.Sequence(lambda n: n)
    title = factory.Faker("sentence", nb_words=4, locale="da_DK")
    description = factory.Faker("sentence", locale="da_DK")


class SocialProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialProblem

    strategy = factory.SubFactory(StrategyFactory)
    position = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Socialt problem {n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    strategy = factory.SubFactory(StrategyFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Vi vil noget godt nr. {n}")
    title_en = factory.Sequence(lambda n: f"We want something good no. {n}")
    description = factory.Faker("paragraph", locale="da_DK")


class CoreAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoreArea

    strategy = factory.SubFactory(StrategyFactory)
    slug = factory.Sequence(lambda n: f"omraade-{n}")
    position = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Område {n}")
    promise = factory.Faker("sentence", locale="da_DK")
    description = factory.Faker("paragraph", locale="da_DK")

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class PostcodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Postcode

    strategy = factory.SubFactory(StrategyFactory)
    code = factory.Sequence(lambda n: f"{7000 + n:04d}")
    name = factory.Faker("city", locale="da_DK")
