"""CPR numbers are masked in every free-text field of every model, whatever the path.

SECURITY.md, privacy 6: the masking is done by the model fields (udsathed/core/fields.py), so the
admin, the public forms, services, imports, `QuerySet.update()` and `bulk_create()` all get it.
One table of inputs (TABLE) is applied to every field in FIELDS through each path.
"""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db.models.fields.files import FieldFile
from django.forms import BooleanField, FileField, SplitDateTimeField
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import Ambassador, Certificate, Newsletter, Story, StoryPicture
from ambassadors.tokens import make_token
from evaluation.models import Answer, QuestionKind, Response
from networks.models import (
    ActivityPicture,
    ActivityState,
    AnswerTemplate,
    Ball,
    BallComment,
    BallEvent,
    Membership,
    Registration,
)
from tests.ambassadors.factories import AmbassadorFactory, ParticipationFactory
from tests.evaluation.factories import (
    ActivityFactory,
    EvaluationRoundFactory,
    GoalFactory,
    IndicatorFactory,
    MeasurementFactory,
    QuestionFactory,
    RecommendationFactory,
    RespondentFactory,
    active_strategy,
)
from tests.networks.factories import BallFactory, NetworkFactory
from tests.themes.factories import CoreAreaFactory, MilestoneFactory, StrategyFactory, ThemeFactory
from udsathed.core.cpr import mask_cpr
from udsathed.core.translation import translated_fields

# (what a person types, what the database must hold)
TABLE = [
    ("010190-1234", "010190-XXXX"),
    ("0101901234", "010190-XXXX"),
    ("010190 1234", "010190-XXXX"),
    ("010190\u20131234", "010190-XXXX"),  # en dash
    ("Ring 72105000", "Ring 72105000"),  # an 8-digit phone number
    ("Konto 01019012345", "Konto 01019012345"),  # an 11-digit run
    ("født 01.01.1990", "født 01.01.1990"),  # a bare date
    ("010190", "010190"),  # a bare date without dots
]
# The whole table in one text, for the paths that cost a request per text.
TEXT = " / ".join(typed for typed, _ in TABLE)
MASKED = " / ".join(stored for _, stored in TABLE)

# Every free-text field a person could type a CPR number into. Names, e-mails, phones, codes,
# slugs, tokens, addresses, labels and URLs are not free text in this sense.
FIELDS = [
    "themes.Strategy.tagline",
    "themes.Strategy.tagline_en",
    "themes.Strategy.purpose",
    "themes.Strategy.purpose_en",
    "themes.Strategy.target_group",
    "themes.Strategy.target_group_en",
    "themes.Milestone.title",
    "themes.Milestone.title_en",
    "themes.Milestone.description",
    "themes.Milestone.description_en",
    "themes.Theme.title",
    "themes.Theme.title_en",
    "themes.Theme.description",
    "themes.Theme.description_en",
    "themes.CoreArea.promise",
    "themes.CoreArea.promise_en",
    "themes.CoreArea.description",
    "themes.CoreArea.description_en",
    "ambassadors.Ambassador.organisation_name",
    "ambassadors.Ambassador.description",
    "ambassadors.Ambassador.skills",
    "ambassadors.Participation.description",
    "ambassadors.Certificate.revoked_reason",
    "ambassadors.Story.title",
    "ambassadors.Story.text",
    "ambassadors.Story.decline_reason",
    "ambassadors.StoryPicture.alt_text",
    "ambassadors.Newsletter.title",
    "ambassadors.Newsletter.body",
    "networks.Network.purpose",
    "networks.Network.expected_result",
    "networks.Network.outcome",
    "networks.Membership.mandate",
    "networks.Ball.title",
    "networks.Ball.description",
    "networks.Ball.public_title",
    "networks.Ball.public_summary",
    "networks.Ball.public_answer",
    "networks.AnswerTemplate.text",
    "networks.AnswerTemplate.text_en",
    "networks.BallEvent.public_note",
    "networks.BallComment.text",
    "networks.Activity.title",
    "networks.Activity.description",
    "networks.Activity.summary",
    "networks.ActivityPicture.alt_text",
    "networks.ActivityPicture.caption",
    "networks.Registration.needs",
    "evaluation.Goal.title",
    "evaluation.Goal.title_en",
    "evaluation.Goal.description",
    "evaluation.Goal.description_en",
    "evaluation.Indicator.description",
    "evaluation.Measurement.source",
    "evaluation.EvaluationRound.title",
    "evaluation.EvaluationRound.summary",
    "evaluation.Question.text",
    "evaluation.Answer.text",
    "evaluation.Recommendation.topic",
    "evaluation.Recommendation.text",
    "evaluation.Recommendation.background",
]


def is_translated(label):
    """Whether `label` names a text kept in Danish and English (`<field>_da`, `<field>_en`)."""
    app_label, model_name, field = label.split(".")
    return field in translated_fields(apps.get_model(app_label, model_name))


def with_languages(labels):
    """Each label, and for a text kept in both languages its `_da` and `_en` columns too: they
    copy the field's class (modeltranslation), so they must mask alike."""
    out = []
    for label in labels:
        out += [label, f"{label}_da", f"{label}_en"] if is_translated(label) else [label]
    return list(dict.fromkeys(out))


FIELDS = with_languages(FIELDS)


def _n():
    _n.count += 1
    return _n.count


_n.count = 0

# An unsaved, valid object of each model, its parents saved.
BUILD = {
    "themes.Strategy": lambda: StrategyFactory.build(is_active=False),
    "themes.Milestone": lambda: MilestoneFactory.build(strategy=active_strategy()),
    "themes.Theme": lambda: ThemeFactory.build(strategy=active_strategy(), number=100 + _n()),
    "themes.CoreArea": lambda: CoreAreaFactory.build(strategy=active_strategy()),
    # An organisation: a private person has no organisation texts (Ambassador.clean()).
    "ambassadors.Ambassador": lambda: AmbassadorFactory.build(organisation=True),
    "ambassadors.Participation": lambda: ParticipationFactory.build(ambassador=AmbassadorFactory()),
    "ambassadors.Certificate": lambda: Certificate(
        ambassador=AmbassadorFactory(),
        number=f"CPR-{_n()}",
        holder_name="Åse",
        strategy_name="Strategi",
    ),
    "ambassadors.Story": lambda: Story(ambassador=AmbassadorFactory(), title="Titel", text="Tekst"),
    "ambassadors.StoryPicture": lambda: StoryPicture(
        story=Story.objects.create(title="Titel", text="Tekst"),
        image="stories/billede.png",
        alt_text="Et billede",
    ),
    "ambassadors.Newsletter": lambda: Newsletter(
        title="Nyhedsbrev", slug=f"nyhedsbrev-{_n()}", body="Tekst"
    ),
    "networks.Network": lambda: NetworkFactory.build(),
    "networks.Membership": lambda: Membership(
        network=NetworkFactory(), ambassador=AmbassadorFactory()
    ),
    "networks.Ball": lambda: BallFactory.build(),
    "networks.AnswerTemplate": lambda: AnswerTemplate(title="Svar", text="Tak for bolden."),
    "networks.BallEvent": lambda: BallEvent(ball=BallFactory(), to_state="assessing"),
    "networks.BallComment": lambda: BallComment(ball=BallFactory(), text="En note"),
    "networks.Activity": lambda: ActivityFactory.build(),
    "networks.ActivityPicture": lambda: ActivityPicture(
        activity=ActivityFactory(), image="activities/billede.png", alt_text="Et billede"
    ),
    "networks.Registration": lambda: Registration(
        activity=ActivityFactory(), name="Åse", email=f"aase{_n()}@example.dk"
    ),
    "evaluation.Goal": lambda: GoalFactory.build(),
    "evaluation.Indicator": lambda: IndicatorFactory.build(),
    "evaluation.Measurement": lambda: MeasurementFactory.build(indicator=IndicatorFactory()),
    "evaluation.EvaluationRound": lambda: EvaluationRoundFactory.build(),
    "evaluation.Question": lambda: QuestionFactory.build(round=EvaluationRoundFactory()),
    "evaluation.Answer": lambda: Answer(
        response=Response.objects.create(round=(question := QuestionFactory()).round),
        question=question,
    ),
    "evaluation.Recommendation": lambda: RecommendationFactory.build(
        round=EvaluationRoundFactory()
    ),
}


def split(label):
    app_label, model_name, field = label.split(".")
    return apps.get_model(app_label, model_name), field


def kwargs_of(obj):
    """The column values of an unsaved object, as `objects.create(**…)` takes them."""
    return {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }


def build(label, text):
    model, field = split(label)
    obj = BUILD[f"{model._meta.app_label}.{model.__name__}"]()
    setattr(obj, field, text)
    return obj


def stored(model, field, pk):
    return model.objects.filter(pk=pk).values_list(field, flat=True).get()


@pytest.fixture
def strategy(db):
    return active_strategy()


# (c) The model layer, directly ------------------------------------------------------------------


@pytest.mark.parametrize("label", FIELDS)
def test_cpr_masked_on_create(label, strategy):
    model, field = split(label)
    for typed, expected in TABLE:
        obj = model.objects.create(**kwargs_of(build(label, typed)))
        assert getattr(obj, field) == expected  # the object in memory too
        assert stored(model, field, obj.pk) == expected


@pytest.mark.parametrize("label", FIELDS)
def test_cpr_masked_on_save(label, strategy):
    model, field = split(label)
    obj = build(label, "intet")
    obj.save()
    for typed, expected in TABLE:
        setattr(obj, field, typed)
        obj.save()
        assert getattr(obj, field) == expected
        assert stored(model, field, obj.pk) == expected


@pytest.mark.parametrize("label", FIELDS)
def test_cpr_masked_on_update(label, strategy):
    model, field = split(label)
    obj = model.objects.create(**kwargs_of(build(label, "intet")))
    for typed, expected in TABLE:
        assert model.objects.filter(pk=obj.pk).update(**{field: typed}) == 1
        assert stored(model, field, obj.pk) == expected


@pytest.mark.parametrize("label", FIELDS)
def test_cpr_masked_on_bulk_create_and_bulk_update(label, strategy):
    model, field = split(label)
    objs = model.objects.bulk_create([build(label, typed) for typed, _ in TABLE])
    for obj, (_, expected) in zip(objs, TABLE, strict=True):
        assert getattr(obj, field) == expected
        assert stored(model, field, obj.pk) == expected
    objs = list(model.objects.filter(pk__in=[obj.pk for obj in objs]).order_by("pk"))
    for obj, (typed, _) in zip(objs, TABLE, strict=True):
        setattr(obj, field, typed)
    model.objects.bulk_update(objs, [field])
    for obj, (_, expected) in zip(objs, TABLE, strict=True):
        assert stored(model, field, obj.pk) == expected


def test_ball_counts_the_numbers_masked_in_what_was_sent(db):
    ball = BallFactory(title="010190-1234", description=TEXT)
    assert ball.cpr_masked == 5
    assert Ball.objects.get(pk=ball.pk).cpr_masked == 5
    ball.public_answer = "Svar til 0101901234"  # staff wrote it; the sender did not
    ball.save()
    assert Ball.objects.get(pk=ball.pk).cpr_masked == 5
    ball = BallFactory(description=TEXT)
    assert Ball.objects.get(pk=ball.pk).cpr_masked == 4


def test_masking_never_makes_a_text_too_long(db):
    title = "x" * 150 + "0101901234"  # exactly the 160 characters a title may have
    ball = BallFactory(title=title)
    assert stored(Ball, "title", ball.pk) == "x" * 150 + "010190XXXX"
    Ball.objects.filter(pk=ball.pk).update(title=title)
    assert stored(Ball, "title", ball.pk) == "x" * 150 + "010190XXXX"


def test_non_text_values_pass_through(db):
    ball = BallFactory(public_title="")
    assert stored(Ball, "public_title", ball.pk) == ""
    assert Ball.objects.filter(title=ball.title).get() == ball


# (a) The Django admin ------------------------------------------------------------------------

# Fields the admin does not let anyone edit (with why), and models edited only as an inline of
# another model's page (model → the foreign key to that page's object).
NOT_IN_ADMIN = {
    "networks.Ball.public_answer": "written by the transition page (ball_transition)",
    "networks.BallEvent.public_note": "written by the transition page (ball_transition)",
    "evaluation.Answer.text": "written only by the questionnaire",
}
INLINE_OF = {
    "themes.Milestone": "strategy",
    "ambassadors.StoryPicture": "story",
    "networks.BallComment": "ball",
    "networks.ActivityPicture": "activity",
    "evaluation.Measurement": "indicator",
    "evaluation.Question": "round",
    "evaluation.Recommendation": "round",
}
# The admin edits a translated text as its `_da` and `_en` fields side by side, not the field.
ADMIN_FIELDS = [label for label in FIELDS if label not in NOT_IN_ADMIN and not is_translated(label)]


def form_data(form):
    """What a browser would post for `form` as drawn, its values unchanged."""
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        if isinstance(field, FileField) or value is None or isinstance(value, FieldFile):
            continue
        if isinstance(field, BooleanField):
            if value:
                data[key] = "on"
        elif isinstance(field, SplitDateTimeField):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            data[f"{key}_0"] = value.date().isoformat()
            data[f"{key}_1"] = value.time().isoformat()
        elif isinstance(value, (list, tuple)):
            data[key] = [str(v) for v in value]
        else:
            data[key] = str(value)
    return data


def page_data(response, add_inline=None):
    """The post data of an admin change page: the main form and every inline formset."""
    data = form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        initial = formset.initial_form_count()
        total = initial + (1 if formset.model is add_inline else 0)
        data.update(
            {
                f"{formset.prefix}-TOTAL_FORMS": str(total),
                f"{formset.prefix}-INITIAL_FORMS": str(initial),
                f"{formset.prefix}-MIN_NUM_FORMS": "0",
                f"{formset.prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for form in formset.forms[:total]:
            data.update(form_data(form))
    return data


def admin_url(obj, action="change"):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=[obj.pk])


def inline_form_key(response, obj, field):
    """The post key of `field` of `obj` in its inline formset on the parent's page."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is type(obj):
            for form in inline.formset.forms:
                if form.instance.pk == obj.pk:
                    return form.add_prefix(field)
    raise AssertionError(f"{obj!r} is not on the page")


def assert_saved(response):
    assert response.status_code == 302, [
        form.errors for form in [response.context["adminform"].form]
    ] + [inline.formset.errors for inline in response.context["inline_admin_formsets"]]


@pytest.mark.parametrize("label", ADMIN_FIELDS)
def test_cpr_masked_in_admin(label, client, superuser, strategy):
    model, field = split(label)
    client.force_login(superuser)
    obj = build(label, "intet")
    if label == "ambassadors.Story.decline_reason":
        obj.state = "declined"
    if label == "networks.Network.outcome":
        obj.state = "closed"
    obj.save()
    parent_fk = INLINE_OF.get(f"{model._meta.app_label}.{model.__name__}")
    if parent_fk is None:
        url = admin_url(obj)
        response = client.get(url)
        data = page_data(response)
        key = field
    elif model is BallComment:  # comments are only ever added, never changed
        url = admin_url(obj.ball)
        obj.delete()
        response = client.get(url)
        data = page_data(response, add_inline=BallComment)
        formset = next(
            inline.formset
            for inline in response.context["inline_admin_formsets"]
            if inline.formset.model is BallComment
        )
        key = f"{formset.prefix}-{formset.initial_form_count()}-text"
        data[key] = ""  # the empty extra form, as drawn
    else:
        url = admin_url(getattr(obj, parent_fk))
        response = client.get(url)
        data = page_data(response)
        key = inline_form_key(response, obj, field)
    assert key in data, f"{label} is not on its admin page"
    data[key] = TEXT
    response = client.post(url, data)
    assert_saved(response)
    if model is BallComment:
        obj = BallComment.objects.get()
    assert stored(model, field, obj.pk) == MASKED


# The admin's add pages; the template object gives the other fields' values.
ADMIN_ADD_FIELDS = [
    "networks.Ball.title",
    "networks.Ball.description",
    "networks.AnswerTemplate.text",
    "networks.Network.purpose",
    "networks.Activity.description",
    "ambassadors.Ambassador.skills",
    "ambassadors.Participation.description",
    "ambassadors.Newsletter.title",
    "ambassadors.Newsletter.body",
    "evaluation.Goal.description",
    "evaluation.EvaluationRound.summary",
    "themes.Theme.description",
]
ADMIN_ADD_FIELDS = [f"{label}_da" if is_translated(label) else label for label in ADMIN_ADD_FIELDS]


@pytest.mark.parametrize("label", ADMIN_ADD_FIELDS)
def test_cpr_masked_in_admin_add(label, client, superuser, strategy):
    model, field = split(label)
    client.force_login(superuser)
    template = build(label, "intet")
    template.save()
    data = page_data(client.get(admin_url(template)))
    for key in list(data):
        if key.endswith("-TOTAL_FORMS") or key.endswith("-INITIAL_FORMS"):
            data[key] = "0"
    for unique in ("slug", "email", "number"):
        if unique in data:
            data[unique] = f"ny-{data[unique]}" if unique != "number" else "99"
    data[field] = TEXT
    before = set(model.objects.values_list("pk", flat=True))
    response = client.post(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"), data
    )
    assert_saved(response)
    (pk,) = set(model.objects.values_list("pk", flat=True)) - before
    assert stored(model, field, pk) == MASKED
    if model is Ball:
        assert Ball.objects.get(pk=pk).cpr_masked == 4


# (b) The public forms -----------------------------------------------------------------------


def log_in(client, ambassador):
    url = reverse("ambassadors:ambassador-login", kwargs={"token": make_token(ambassador, "login")})
    assert client.get(url).status_code == 302


def post_public_form(client, url, **values):
    """Post the form on `url` as drawn (its one-time key included), with `values` filled in."""
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.context["form"])
    data.update(values)
    return client.post(url, data)


@pytest.mark.parametrize("field", ["title", "description"])
def test_cpr_masked_in_public_ball_form(field, client, strategy):
    values = {"kind": "idea", "title": "Flere bænke", "description": "Ved havnen.", field: TEXT}
    response = post_public_form(client, reverse("networks:ball-create"), **values)
    assert response.status_code == 302
    ball = Ball.objects.get()
    assert getattr(ball, field) == MASKED
    assert ball.cpr_masked == 4  # the sender is told (templates/networks/ball_detail.html)
    assert "CPR" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("field", ["organisation_name", "description", "skills"])
def test_cpr_masked_in_public_sign_up(field, client, strategy):
    values = {
        "kind": "association",
        "name": "Åse Ørnebjerg",
        "email": "aase@example.dk",
        "postcode": "7000",
        "organisation_name": "Foreningen",
        "accept_privacy": "on",
        field: TEXT,
    }
    response = post_public_form(client, reverse("ambassadors:ambassador-signup"), **values)
    assert response.status_code == 302, response.context["form"].errors
    assert getattr(Ambassador.objects.get(), field) == MASKED


@pytest.mark.parametrize("field", ["organisation_name", "description", "skills"])
def test_cpr_masked_in_min_side_profile(field, client, strategy):
    ambassador = AmbassadorFactory(organisation=True)
    log_in(client, ambassador)
    response = post_public_form(client, reverse("ambassadors:ambassador-self"), **{field: TEXT})
    assert response.status_code == 302, response.context["form"].errors
    assert stored(Ambassador, field, ambassador.pk) == MASKED
    assert getattr(ambassador.history.latest(), field) == MASKED  # the history keeps no number


@pytest.mark.parametrize("field", ["title", "text"])
def test_cpr_masked_in_public_story_form(field, client, strategy):
    log_in(client, AmbassadorFactory())
    values = {"title": "Ny frivillig", "text": "Lise laver kaffe.", "use": "both", field: TEXT}
    response = post_public_form(client, reverse("ambassadors:story-create"), **values)
    assert response.status_code == 302, response.context["form"].errors
    assert getattr(Story.objects.get(), field) == MASKED


def test_cpr_masked_in_public_registration_form(client, strategy):
    activity = ActivityFactory(
        state=ActivityState.OPEN,
        starts_at=timezone.now() + timedelta(days=7),
        ends_at=timezone.now() + timedelta(days=7, hours=2),
    )
    url = reverse("networks:activity-detail", args=[activity.slug])
    response = post_public_form(client, url, name="Åse", email="aase@example.dk", needs=TEXT)
    assert response.status_code == 302, response.context["form"].errors
    assert Registration.objects.get().needs == MASKED


def test_cpr_masked_in_public_questionnaire(client, strategy):
    round = EvaluationRoundFactory(opens_on=date(2020, 1, 1))
    question = QuestionFactory(round=round, kind=QuestionKind.TEXT)
    respondent = RespondentFactory(round=round)
    response = post_public_form(client, respondent.get_absolute_url(), **{f"q{question.pk}": TEXT})
    assert response.status_code in (200, 302)
    assert Answer.objects.get().text == MASKED


# The table itself -----------------------------------------------------------------------------


def test_the_table_agrees_with_the_cpr_rule():
    for typed, expected in TABLE:
        assert mask_cpr(typed)[0] == expected


# Rows saved before the fields masked ------------------------------------------------------------


def test_migration_masks_texts_saved_before(db):
    from django.db import connection

    from udsathed.core.fields import mask_stored_texts

    ball = BallFactory()
    ambassador = AmbassadorFactory(organisation=True)
    with connection.cursor() as cursor:  # as an old row: written without the model layer
        cursor.execute("UPDATE networks_ball SET description = %s", [TEXT])
        cursor.execute("UPDATE ambassadors_ambassador SET skills = %s", [TEXT])
        cursor.execute("UPDATE ambassadors_historicalambassador SET skills = %s", [TEXT])
    for app_label in ("networks", "ambassadors"):
        mask_stored_texts(app_label)(apps, connection.schema_editor())
    assert stored(Ball, "description", ball.pk) == MASKED
    assert stored(Ambassador, "skills", ambassador.pk) == MASKED
    assert {row.skills for row in ambassador.history.all()} == {MASKED}


# Every text column is either in FIELDS or named here as not free text -------------------------

NOT_FREE_TEXT = {
    # names of people and things, and labels
    "themes.Strategy.name",
    "themes.Strategy.name_en",
    "themes.Strategy.municipality",
    "themes.Strategy.theme_label",
    "themes.Strategy.theme_label_en",
    "themes.Strategy.core_area_label",
    "themes.Strategy.core_area_label_en",
    "themes.SocialProblem.name",
    "themes.SocialProblem.name_en",
    "themes.CoreArea.name",
    "themes.CoreArea.name_en",
    "themes.Postcode.name",
    "ambassadors.Ambassador.name",
    "ambassadors.Certificate.holder_name",
    "ambassadors.Certificate.strategy_name",
    "networks.Network.name",
    "networks.Ball.contact_name",  # masked by ball_submit, as the sender may put it anywhere
    "networks.AnswerTemplate.title",
    "networks.Activity.place_name",
    "networks.Activity.address",
    "networks.Registration.name",
    "evaluation.Indicator.name",
    "evaluation.Indicator.name_en",
    "evaluation.Indicator.unit",
    # phones, codes, tokens, versions, file names, what the portal itself writes
    "themes.Strategy.source_file",
    "ambassadors.Ambassador.invited_from",  # the name of the imported file
    "themes.Postcode.code",
    "ambassadors.Ambassador.phone",
    "ambassadors.Ambassador.postcode",
    "ambassadors.Ambassador.token_version",
    "ambassadors.Certificate.code",
    "ambassadors.Certificate.number",
    "ambassadors.ConsentRecord.text_version",
    "ambassadors.ConsentRecord.source",
    "ambassadors.Story.form_key",
    "ambassadors.Newsletter.sent_html",  # rendered from the masked body and stories
    "ambassadors.Newsletter.sent_text",
    "ambassadors.NewsletterDelivery.error",
    "networks.Ball.token",
    "networks.Ball.form_key",
    "networks.Ball.contact_phone",
    "networks.Invitation.token",
    "networks.Registration.token",
    "networks.Registration.checkin_code",
    "evaluation.Respondent.token",
    # the audit trail holds ids, counts and view names, never what was shown
    "core.AuditEntry.username",
    "core.AuditEntry.target",
    "core.AuditEntry.object_id",
}
NOT_FREE_TEXT = set(with_languages(sorted(NOT_FREE_TEXT)))


def test_every_text_column_is_masked_or_named_as_not_free_text():
    """A new text field must be put in FIELDS (and masked) or in NOT_FREE_TEXT, on purpose."""
    from django.conf import settings
    from django.db import models

    from udsathed.core.fields import CprMaskedMixin

    masked, plain = set(), set()
    for config in apps.get_app_configs():
        if not config.path.startswith(str(settings.BASE_DIR)) or ".venv" in config.path:
            continue
        for model in config.get_models():
            name = model.__name__.removeprefix("Historical")  # simple_history's copies
            for field in model._meta.concrete_fields:
                label = f"{config.label}.{name}.{field.name}"
                if isinstance(field, CprMaskedMixin):
                    masked.add(label)
                elif (
                    isinstance(field, (models.CharField, models.TextField))
                    and not isinstance(
                        field, (models.EmailField, models.SlugField, models.URLField)
                    )
                    and not field.choices
                    and not field.name.startswith("history_")
                ):
                    plain.add(label)
    assert masked == set(FIELDS)
    assert plain == NOT_FREE_TEXT
