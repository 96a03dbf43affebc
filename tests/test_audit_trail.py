"""Issue 16, item 13 (privacy item 8): every staff page showing personal data of others leaves a
row in the audit trail, kept where the data-protection officer can read it.

Which pages are personal is decided here from the models' fields, independently of the
declaration in settings, so a new model or inline with personal data fails until declared.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import Ambassador
from networks.models import Activity, Invitation
from tests.ambassadors.factories import (
    AmbassadorFactory,
    CertificateFactory,
    ConsentRecordFactory,
    ParticipationFactory,
)
from tests.evaluation.factories import EvaluationRoundFactory, RespondentFactory
from tests.factories import UserFactory
from tests.networks.factories import MembershipFactory
from udsathed.core.models import AppendOnlyError, AuditEntry
from udsathed.groups import DATA_PROTECTION, PROJECT_LEADERS
from udsathed.retention import retention_apply

PERSONAL_FIELDS = {"email", "phone", "needs", "holder_name"}
PERSON_NAME_PARTNERS = {"email", "phone"}


def holds_personal_data(model) -> bool:
    """An e-mail, phone, needs or contact field, a name beside an e-mail or phone (a name alone
    names a thing: a network, a theme), or a link to an ambassador."""
    if model._meta.label in settings.NOT_PERSONAL_DATA_MODELS:
        return False
    fields = [field for field in model._meta.get_fields() if field.concrete]
    names = {field.name for field in fields}
    return (
        bool(names & PERSONAL_FIELDS)
        or any(name.startswith("contact_") for name in names)
        or ("name" in names and bool(names & PERSON_NAME_PARTNERS))
        or any(field.is_relation and field.related_model is Ambassador for field in fields)
    )


def shows_personal_data(model_admin) -> bool:
    inlines = [inline.model for inline in model_admin.inlines]
    return any(holds_personal_data(model) for model in [model_admin.model, *inlines])


def personal_admins():
    return [ma for ma in admin.site._registry.values() if shows_personal_data(ma)]


def test_every_model_holding_personal_data_is_declared():
    declared = {label.lower() for label in settings.PERSONAL_DATA_MODELS}
    audited = {label.lower() for label in settings.AUDITED_ADMIN_MODELS}
    models = set()
    for model_admin in admin.site._registry.values():
        models |= {model_admin.model, *(inline.model for inline in model_admin.inlines)}
    personal = [m for m in models if holds_personal_data(m)]
    missing = sorted(m._meta.label for m in personal if m._meta.label_lower not in declared)
    assert missing == [], "declare in settings.PERSONAL_DATA_MODELS"
    labels = [ma.model._meta for ma in personal_admins()]
    unaudited = sorted(opts.label for opts in labels if opts.label_lower not in audited)
    assert unaudited == [], "declare in settings.AUDITED_ADMIN_MODELS"


@pytest.fixture
def portal(fredericia):
    call_command("seed_demo", "--force", verbosity=0)
    ambassador = AmbassadorFactory()
    CertificateFactory(ambassador=ambassador)
    ConsentRecordFactory(ambassador=ambassador)
    ParticipationFactory(ambassador=ambassador)
    membership = MembershipFactory(ambassador=ambassador)
    Invitation.objects.create(network=membership.network, ambassador=ambassador)
    RespondentFactory(round=EvaluationRoundFactory(strategy=fredericia), ambassador=ambassador)
    return ambassador


def audit_inserts(queries) -> int:
    return sum(1 for q in queries if q["sql"].startswith('INSERT INTO "core_auditentry"'))


def pages_of(model_admin, obj):
    opts = model_admin.model._meta
    info = f"{opts.app_label}_{opts.model_name}_"
    yield "changelist", reverse(f"admin:{info}changelist")
    yield "change", reverse(f"admin:{info}change", args=[obj.pk])
    for pattern in model_admin.get_urls():
        name = getattr(pattern, "name", None) or ""
        custom = name.startswith(info) and name[len(info) :] not in {
            "changelist",
            "add",
            "history",
            "delete",
            "change",
        }
        if custom and name.endswith("_simple_history"):  # one old version of the object
            old = model_admin.model.history.order_by("history_id").first()
            yield name, reverse(f"admin:{name}", args=[old.id, old.history_id])
        elif custom and not pattern.pattern.regex.groups:  # a page of the list (the import)
            yield name, reverse(f"admin:{name}")
        elif custom:
            yield name, reverse(f"admin:{name}", args=[obj.pk])


def test_every_admin_page_showing_personal_data_leaves_one_audit_row(portal, superuser):
    client = Client()
    client.force_login(superuser)
    without_trail = []
    for model_admin in personal_admins():
        obj = model_admin.model._default_manager.order_by("pk").first()
        assert obj is not None, f"the fixture makes no {model_admin.model._meta.label}"
        for page, url in pages_of(model_admin, obj):
            before = AuditEntry.objects.count()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, url
            if AuditEntry.objects.count() != before + 1 or audit_inserts(queries) != 1:
                without_trail.append(f"{model_admin.model._meta.label} {page} {url}")
                continue
            entry = AuditEntry.objects.order_by("pk").last()
            assert entry.user == superuser and entry.username == superuser.username
    assert without_trail == []


def test_the_audit_row_holds_ids_and_counts_never_the_data(portal, superuser):
    portal.email, portal.name = "hemmelig@example.dk", "Hemmelig Person"
    portal.save()
    client = Client()
    client.force_login(superuser)
    client.get(reverse("admin:ambassadors_ambassador_change", args=[portal.pk]))
    client.get(reverse("admin:ambassadors_ambassador_changelist"))
    view, listing = AuditEntry.objects.order_by("pk")
    assert (view.action, view.target) == ("view", "ambassadors.ambassador")
    assert view.object_id == str(portal.pk)
    assert view.persons >= 1
    assert listing.action == "list"
    per_page = admin.site._registry[Ambassador].list_per_page
    assert listing.persons == min(Ambassador.objects.count(), per_page)
    for entry in (view, listing):
        values = " ".join(str(getattr(entry, f.attname)) for f in AuditEntry._meta.concrete_fields)
        assert "hemmelig" not in values.lower()


def test_the_ambassador_export_is_recorded_with_the_number_of_persons(portal, superuser):
    client = Client()
    client.force_login(superuser)
    chosen = list(Ambassador.objects.values_list("pk", flat=True)[:3])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("admin:ambassadors_ambassador_changelist"),
            {"action": "export_csv", "_selected_action": chosen},
        )
    assert response.status_code == 200
    assert audit_inserts(queries) == 1
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target, entry.persons) == ("export", "ambassadors.ambassador", 3)


def test_the_audit_row_carries_the_real_client_address(settings, portal, superuser):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.18.0.1, 203.0.113.7")
    client.force_login(superuser)
    client.get(reverse("admin:ambassadors_ambassador_change", args=[portal.pk]))
    assert AuditEntry.objects.get().address == "203.0.113.7"


def test_a_custom_admin_view_refused_to_a_visitor_leaves_no_row(portal):
    activity = Activity.objects.order_by("pk").first()
    response = Client().get(reverse("admin:networks_activity_checkin", args=[activity.pk]))
    assert response.status_code == 302
    assert not AuditEntry.objects.exists()


def entry(**extra):
    return AuditEntry.objects.create(
        username="someone", action="view", target="ambassadors.ambassador", **extra
    )


def test_audit_entries_are_append_only(db, superuser):
    row = entry()
    row.target = "something else"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    model_admin = admin.site._registry[AuditEntry]
    request = type("Request", (), {"user": superuser})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, row)
    assert not model_admin.has_delete_permission(request, row)
    client = Client()
    client.force_login(superuser)
    url = reverse("admin:core_auditentry_change", args=[row.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"target": "x"}).status_code == 403
    assert client.post(reverse("admin:core_auditentry_delete", args=[row.pk])).status_code == 403
    assert AuditEntry.objects.get().target == "ambassadors.ambassador"


def test_the_data_protection_group_reads_the_trail_and_nothing_else(db):
    group = Group.objects.get(name=DATA_PROTECTION)
    assert list(group.permissions.values_list("codename", flat=True)) == ["view_auditentry"]
    officer = UserFactory(is_staff=True)
    officer.groups.add(group)
    leader = UserFactory(is_staff=True)
    leader.groups.add(Group.objects.get(name=PROJECT_LEADERS))
    entry()
    url = reverse("admin:core_auditentry_changelist")
    client = Client()
    client.force_login(officer)
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:ambassadors_ambassador_changelist")).status_code == 403
    client.force_login(leader)
    assert client.get(url).status_code == 403


def test_the_audit_list_has_a_bounded_number_of_queries(
    db, superuser, django_assert_max_num_queries
):
    for _ in range(30):
        entry(user=superuser)
    client = Client()
    client.force_login(superuser)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 200


def test_retention_prunes_the_audit_trail_after_its_period(settings, db):
    settings.AUDIT_RETENTION_DAYS = 395
    now = timezone.now()
    old = entry(at=now - timedelta(days=396))
    kept = entry(at=now - timedelta(days=394))
    counts = retention_apply(now=now)
    assert counts["audit_entries_pruned"] == 1
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [kept.pk]
    assert old.pk not in AuditEntry.objects.values_list("pk", flat=True)


def test_the_ambassador_autocomplete_is_audited(portal, superuser):
    # The respondents inline looks ambassadors up by name: a list of persons, too.
    client = Client()
    client.force_login(superuser)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "evaluation", "model_name": "respondent", "field_name": "ambassador"},
    )
    assert response.status_code == 200
    shown = len(response.json()["results"])
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.target, entry.persons) == ("list", "ambassadors.ambassador", shown)


def test_an_activity_page_counts_the_persons_of_its_registrations(portal, superuser):
    activity = Activity.objects.filter(registrations__isnull=False).order_by("pk").first()
    client = Client()
    client.force_login(superuser)
    client.get(reverse("admin:networks_activity_change", args=[activity.pk]))
    client.get(reverse("admin:networks_activity_checkin", args=[activity.pk]))
    page, checkin = AuditEntry.objects.order_by("pk")
    assert (page.target, page.object_id) == ("networks.activity", str(activity.pk))
    assert page.persons == activity.registrations.count()
    assert checkin.target == "admin:networks_activity_checkin"
    assert checkin.persons == activity.registrations.filter(status="registered").count()
