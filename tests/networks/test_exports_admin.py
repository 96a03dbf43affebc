"""Exports of the lists staff work from (issue 21 item 2): balls, the door list of an activity,
network members; as CSV and Excel, with the list's filters, formula-safe, audited."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from networks.models import BallState, Registration
from tests.ambassadors.factories import AmbassadorFactory
from tests.networks.factories import BallFactory, MembershipFactory, NetworkFactory, make_activity
from udsathed.core.models import AuditAction, AuditEntry

BALLS = reverse("admin:networks_ball_changelist")


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def export(client, url, action, objects, **query):
    suffix = "?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else ""
    return client.post(
        url + suffix, {"action": action, "_selected_action": [obj.pk for obj in objects]}
    )


def test_ball_export_with_the_current_filters_and_free_text(client, project_leader, fredericia):
    received = BallFactory(title="=Havnen", description="Lang fri tekst", state=BallState.RECEIVED)
    BallFactory(title="Vurderes", state=BallState.ASSESSING)
    client.force_login(project_leader)
    # "Select all" on a filtered list: the action gets the filtered list, not the page.
    response = client.post(
        f"{BALLS}?state=received",
        {"action": "export_csv", "select_across": "1", "_selected_action": [received.pk]},
    )
    header, *rows = csv_rows(response)
    assert len(rows) == 1
    assert rows[0][header.index("titel")] == "'=Havnen"  # never run as a formula
    assert rows[0][header.index("beskrivelse")] == "Lang fri tekst"
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (entry.user, entry.target, entry.persons) == (project_leader, "networks.ball", 1)


def test_ball_export_has_no_free_text_for_network_leads(client, lead, standing, fredericia):
    ball = BallFactory(network=standing, description="Hemmelig fri tekst", contact_name="Aase")
    client.force_login(lead)
    response = export(client, BALLS, "export_excel", [ball])
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell.value for row in sheet.iter_rows() for cell in row]
    assert ball.title in cells
    assert "Hemmelig fri tekst" not in cells and "Aase" not in cells
    assert "beskrivelse" not in cells


def test_door_list_export_from_the_activity_and_the_registrations(
    client, project_leader, fredericia
):
    activity = make_activity(capacity=5)
    other = make_activity(title="Andet møde")
    for n, where in [(1, activity), (2, activity), (3, other)]:
        Registration.objects.create(activity=where, name=f"Person {n}", email=f"p{n}@example.dk")
    Registration.objects.filter(name="Person 1").update(attended=True)
    client.force_login(project_leader)
    response = export(
        client, reverse("admin:networks_activity_changelist"), "export_csv", [activity]
    )
    header, *rows = csv_rows(response)
    assert sorted(row[header.index("navn")] for row in rows) == ["Person 1", "Person 2"]
    came = {row[header.index("navn")]: row[header.index("mødt")] for row in rows}
    assert came == {"Person 1": "Ja", "Person 2": "Nej"}
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (entry.target, entry.persons) == ("networks.registration", 2)
    # The registrations list, filtered by the activity, gives the same list.
    client.post(reverse("admin:logout"))
    client.force_login(project_leader)
    response = client.post(
        reverse("admin:networks_registration_changelist") + f"?activity__id__exact={activity.pk}",
        {
            "action": "export_excel",
            "select_across": "1",
            "_selected_action": [activity.registrations.first().pk],
        },
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3


def test_network_members_export(client, project_leader, fredericia):
    network = NetworkFactory()
    MembershipFactory(network=network, ambassador=AmbassadorFactory(name="Bo", phone="+4520304050"))
    MembershipFactory(ambassador=AmbassadorFactory(name="Andet netværk"))
    client.force_login(project_leader)
    response = export(client, reverse("admin:networks_network_changelist"), "export_csv", [network])
    header, *rows = csv_rows(response)
    assert [row[header.index("navn")] for row in rows] == ["Bo"]
    assert rows[0][header.index("telefon")] == "'+4520304050"  # a leading + is a formula too
    response = export(
        client,
        reverse("admin:networks_membership_changelist"),
        "export_csv",
        list(network.memberships.all()),
    )
    assert len(csv_rows(response)) == 2
