import csv
import io

import pytest
from django.contrib.admin.sites import site
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from ambassadors.admin import AmbassadorAdmin, CertificateAdmin
from ambassadors.models import Ambassador, Certificate, ConsentRecord, Participation
from tests.ambassadors.factories import (
    AmbassadorFactory,
    CertificateFactory,
    ConsentRecordFactory,
    ParticipationFactory,
    UnconfirmedAmbassadorFactory,
)

MODELS = [Ambassador, Certificate, Participation, ConsentRecord]
CHANGELIST = reverse("admin:ambassadors_ambassador_changelist")


@pytest.fixture
def many(fredericia):
    themes = list(fredericia.themes.all())
    areas = list(fredericia.core_areas.all())
    for i in range(30):
        ambassador = AmbassadorFactory(
            themes=themes[: i % 5 + 1], core_areas=areas[:1], postcode="7000" if i % 2 else "8000"
        )
        CertificateFactory(ambassador=ambassador)
        ParticipationFactory(ambassador=ambassador)
        ConsentRecordFactory(ambassador=ambassador)
    UnconfirmedAmbassadorFactory.create_batch(5)


@pytest.mark.parametrize("model", MODELS)
def test_changelists_open_with_bounded_queries(
    client, project_leader, many, model, django_assert_max_num_queries
):
    client.force_login(project_leader)
    url = reverse(f"admin:ambassadors_{model._meta.model_name}_changelist")
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"state": "active"},
        {"state": "passive"},
        {"state": "unconfirmed"},
        {"state": "lapsed"},
        {"state": "withdrawn"},
        {"kind": "citizen"},
        {"local": "yes"},
        {"local": "no"},
        {"q": "example.dk"},
        {"confirmed_at__isnull": "False"},
    ],
)
def test_filters_and_search(client, project_leader, many, query):
    client.force_login(project_leader)
    response = client.get(CHANGELIST, query)
    assert response.status_code == 200
    assert "Aktiv: <strong>30</strong>" in response.content.decode()


def test_lives_in_municipality_filter_uses_the_strategy_postcodes(client, project_leader, many):
    client.force_login(project_leader)
    response = client.get(CHANGELIST, {"local": "yes"})
    assert response.context["cl"].result_count == Ambassador.objects.filter(postcode="7000").count()


def test_add_and_change_pages_open(client, project_leader, fredericia):
    client.force_login(project_leader)
    ambassador = AmbassadorFactory()
    CertificateFactory(ambassador=ambassador)
    assert client.get(reverse("admin:ambassadors_ambassador_add")).status_code == 200
    change = reverse("admin:ambassadors_ambassador_change", args=[ambassador.pk])
    assert client.get(change).status_code == 200
    history = reverse("admin:ambassadors_ambassador_history", args=[ambassador.pk])
    assert client.get(history).status_code == 200


def test_changes_are_recorded_with_who_and_when(client, project_leader, fredericia):
    ambassador = AmbassadorFactory(name="Før Navn")
    client.force_login(project_leader)
    url = reverse("admin:ambassadors_ambassador_change", args=[ambassador.pk])
    data = {
        "kind": "citizen",
        "name": "Efter Navn",
        "email": ambassador.email,
        "postcode": "7000",
        "language": "da",
        "certificates-TOTAL_FORMS": 0,
        "certificates-INITIAL_FORMS": 0,
        "participations-TOTAL_FORMS": 0,
        "participations-INITIAL_FORMS": 0,
        "consents-TOTAL_FORMS": 0,
        "consents-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = ambassador.history.latest()
    assert latest.name == "Efter Navn"
    assert latest.history_user == project_leader
    html = client.get(reverse("admin:ambassadors_ambassador_history", args=[ambassador.pk]))
    assert "Efter Navn" in html.content.decode() or project_leader.username in html.content.decode()


def run_action(client, action, ambassadors):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [a.pk for a in ambassadors]},
    )


def test_export_csv_and_excel(client, project_leader, fredericia):
    client.force_login(project_leader)
    people = [AmbassadorFactory(name="Ærlig Østergaard"), AmbassadorFactory(name="=HYPERLINK(1)")]
    response = run_action(client, "export_csv", people)
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][2] == "navn"
    names = {row[2] for row in rows[1:]}
    assert names == {"Ærlig Østergaard", "'=HYPERLINK(1)"}  # formulas are defused
    response = run_action(client, "export_excel", people)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3
    assert {sheet.cell(row=r, column=3).value for r in (2, 3)} == names


def test_resend_confirmation_only_to_unconfirmed(
    client, project_leader, fredericia, django_capture_on_commit_callbacks
):
    client.force_login(project_leader)
    waiting = UnconfirmedAmbassadorFactory()
    done = AmbassadorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        run_action(client, "resend_confirmation", [waiting, done])
    assert [m.to for m in mail.outbox] == [[waiting.email]]


def test_revoke_certificate_action(client, project_leader, fredericia):
    client.force_login(project_leader)
    certificate = CertificateFactory()
    run_action(client, "revoke_certificates", [certificate.ambassador])
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    page = client.get(certificate.get_absolute_url()).content.decode()
    assert "ikke længere gyldigt" in page


def test_committee_members_cannot_see_ambassadors(client, committee_member, fredericia):
    client.force_login(committee_member)
    assert client.get(CHANGELIST).status_code == 403


def test_display_methods(fredericia):
    ambassador = AmbassadorFactory(themes=list(fredericia.themes.all()[:3]))
    admin = AmbassadorAdmin(Ambassador, site)
    annotated = admin.get_queryset(None).get(pk=ambassador.pk)
    assert admin.theme_count(annotated) == 3
    assert admin.state_display(annotated) == "Passiv"
    certificate = CertificateFactory(ambassador=ambassador)
    assert CertificateAdmin(Certificate, site).is_valid_display(certificate) is True


def admin_change_data(ambassador, **extra):
    return {
        "kind": ambassador.kind,
        "name": ambassador.name,
        "email": ambassador.email,
        "postcode": ambassador.postcode,
        "language": "da",
        "organisation_name": ambassador.organisation_name,
        "description": ambassador.description,
        "website": ambassador.website,
        "certificates-TOTAL_FORMS": 0,
        "certificates-INITIAL_FORMS": 0,
        "participations-TOTAL_FORMS": 0,
        "participations-INITIAL_FORMS": 0,
        "consents-TOTAL_FORMS": 0,
        "consents-INITIAL_FORMS": 0,
        **extra,
    }


def test_admin_refuses_an_organisation_without_its_name(client, project_leader, fredericia):
    ambassador = AmbassadorFactory(organisation=True, organisation_name="Foreningen Før")
    client.force_login(project_leader)
    url = reverse("admin:ambassadors_ambassador_change", args=[ambassador.pk])
    response = client.post(url, admin_change_data(ambassador, organisation_name=""))
    assert response.status_code == 200
    assert "Skriv navnet på foreningen" in response.text
    ambassador.refresh_from_db()
    assert ambassador.organisation_name == "Foreningen Før"


def test_admin_leaves_a_private_person_no_organisation_and_no_directory_listing(
    client, project_leader, fredericia
):
    ambassador = AmbassadorFactory(organisation=True)
    client.force_login(project_leader)
    url = reverse("admin:ambassadors_ambassador_change", args=[ambassador.pk])
    response = client.post(
        url, admin_change_data(ambassador, kind="citizen", show_in_directory="on")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    ambassador.refresh_from_db()
    assert (ambassador.organisation_name, ambassador.description, ambassador.website) == (
        "",
        "",
        "",
    )
    assert ambassador.show_in_directory is False
    assert ambassador not in Ambassador.objects.in_directory()


def test_ambassador_list_neither_groups_every_ambassador_nor_counts_them_twice(
    client, project_leader, many
):
    """The theme count is asked per shown row, not by joining and grouping every ambassador
    (which every count and the date bar would repeat), and the list counts its rows once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(project_leader)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(CHANGELIST, {"state": "active"})
    ambassador_queries = [q["sql"] for q in captured if '"ambassadors_ambassador"' in q["sql"]]
    assert not [sql for sql in ambassador_queries if 'GROUP BY "ambassadors_ambassador"' in sql]
    assert len([sql for sql in ambassador_queries if "COUNT(*)" in sql]) == 1
    rows = response.context["cl"].result_list
    assert {row.theme_count for row in rows} == {1, 2, 3, 4, 5}
