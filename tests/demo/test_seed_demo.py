from django.core.management import call_command

from ambassadors.models import Ambassador, Newsletter, Story
from networks.models import Activity, Ball, Network, Registration


def counts():
    return (
        Ambassador.objects.count(),
        Network.objects.count(),
        Ball.objects.count(),
        Story.objects.count(),
        Newsletter.objects.count(),
    )


def test_seed_demo_builds_a_living_portal_and_is_idempotent(fredericia):
    call_command("seed_demo", "--force")
    assert Network.objects.filter(kind="standing").count() == 1
    historical = Network.objects.filter(state="closed")
    assert historical.count() == 6
    assert all(
        n.outcome and n.starts_on.year >= 2018 and n.ends_on.year <= 2020 for n in historical
    )
    assert Network.objects.get(slug="bofaellesskab-paa-frejasvej").citizen_driven
    assert len(set(Ball.objects.values_list("state", flat=True))) >= 5
    assert Ball.objects.overdue().exists()
    assert Ball.objects.filter(state="declined").exclude(public_answer="").exists()
    assert Ambassador.objects.active().exists() and Ambassador.objects.passive().exists()
    assert Ambassador.objects.in_directory().exists()
    assert Network.objects.get(kind="standing").balls.exclude(public_title="").exists()
    # The public record is filled: published balls with summaries and answers, one a "no".
    published = Ball.objects.published()
    assert published.count() >= 3 and not published.filter(public_summary="").exists()
    assert published.with_public_answer().filter(state="declined").exists()
    assert Ball.objects.filter(publish_consent=True, published_at=None).exists()
    assert not Ambassador.objects.due_for_reconfirmation().exists()
    assert Activity.objects.upcoming().exists() and Activity.objects.past().exists()
    assert Registration.objects.filter(attended=True).exists()
    assert Registration.objects.filter(status="waitlisted").exists()
    assert {"accepted", "submitted", "declined"} <= set(
        Story.objects.values_list("state", flat=True)
    )
    assert Story.objects.filter(pictures__isnull=False).exists()
    assert Newsletter.objects.published().count() == 1
    before = counts()
    call_command("seed_demo", "--force")
    assert counts() == before
    real = Ball.objects.create(kind="idea", title="Flere bænke ved havnen", description="Ægte.")
    call_command("seed_demo", "--reset", "--force")
    assert counts() == (before[0], before[1], before[2] + 1, *before[3:])
    assert Ball.objects.filter(pk=real.pk).exists()  # a real ball with a demo title survives


def test_seed_demo_refuses_without_debug(db):
    import pytest
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert counts() == (0, 0, 0, 0, 0)


def test_demo_content_is_in_both_languages(fredericia):
    """Issue 20 item 6: every text the demo writes in Danish has its English twin, so an
    English-speaking visitor of the demo meets no untranslated content."""
    from django.apps import apps

    from udsathed.core.translation import translated_fields

    call_command("seed_demo", "--force")
    missing = []
    for model in apps.get_models():
        for field in translated_fields(model):
            rows = model.objects.exclude(**{f"{field}_da": ""}).exclude(**{f"{field}_da": None})
            for pk, english in rows.values_list("pk", f"{field}_en"):
                if not english:
                    missing.append(f"{model._meta.label}.{field}_en #{pk}")
    assert not missing, f"{len(missing)} texts have no English: {missing[:20]}"
