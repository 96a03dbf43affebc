"""Bringing in the existing list of ambassadors (issue 21 item 1): headers in Danish or English,
a preview of every row's outcome, nothing written on a dry run or an error, duplicates in any
case, no overwrite unless chosen; imported people are invited, counted nowhere, mailed once
and reminded once, and deleted after 30 days without an answer."""

import io
import tempfile
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from ambassadors.imports import (
    ImportFileError,
    RowOutcome,
    ambassadors_import,
    map_headers,
    read_file,
)
from ambassadors.models import Ambassador, AmbassadorState, ConsentKind, ConsentRecord
from ambassadors.tasks import send_ambassador_invitations
from tests.ambassadors.factories import AmbassadorFactory
from tests.factories import UserFactory
from udsathed.retention import retention_apply

DANISH = [
    "Navn",
    "E-mail",
    "Type",
    "Organisation",
    "Postnummer",
    "Telefon",
    "Temaer",
    "Kerneområder",
]
ENGLISH = ["Name", "Email", "Kind", "Organisation", "Postcode", "Phone", "Themes", "Core areas"]


def csv_file(headers, *rows, delimiter=";") -> bytes:
    lines = [delimiter.join(headers)] + [delimiter.join(row) for row in rows]
    return ("\ufeff" + "\n".join(lines)).encode()


def xlsx_file(headers, *rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(content: bytes, name="liste.csv", user=None, **options):
    user = user or UserFactory(username="projektleder")
    return ambassadors_import(
        dataset=read_file(content, name), file_name=name, user=user, **options
    )


AASE = ["Aase Hansen", "aase@example.dk", "Privatperson", "", "7000", "20 30 40 50", "1, 3", ""]
FORENING = [
    "Bo Berg",
    "bo@example.dk",
    "association",
    "Foreningen Fælles",
    "7000",
    "",
    "",
    "1",
]


def test_import_maps_headers_in_danish_and_english():
    assert map_headers(DANISH)[0] == map_headers(ENGLISH)[0]
    assert map_headers([" NAVN ", "e-mail", "kind", "Noter"]) == (
        ["name", "email", "kind", "ignored:3"],
        ["Noter"],
    )
    with pytest.raises(ImportFileError, match="e-mail"):
        map_headers(["Navn", "Type"])


@pytest.mark.parametrize("headers", [DANISH, ENGLISH])
def test_import_reads_csv_and_xlsx_with_either_language(fredericia, headers):
    report = run(xlsx_file(headers, AASE), name="liste.xlsx", dry_run=False)
    assert report.written and report.counts["new"] == 1
    aase = Ambassador.objects.get(email="aase@example.dk")
    assert aase.kind == "citizen"
    assert aase.phone == "20304050"
    assert sorted(aase.themes.values_list("number", flat=True)) == [1, 3]
    report = run(csv_file(headers, FORENING), dry_run=False)
    bo = Ambassador.objects.get(email="bo@example.dk")
    assert bo.organisation_name == "Foreningen Fælles"
    assert bo.core_areas.count() == 1


def test_import_preview_shows_every_row_and_dry_run_writes_nothing(fredericia):
    AmbassadorFactory(email="Kendt@Example.dk")
    content = csv_file(
        DANISH,
        AASE,
        ["Kendt", "kendt@example.DK", "Privatperson", "", "", "", "", ""],
        ["Ukendt type", "x@example.dk", "Rumvæsen", "", "", "", "", ""],
    )
    report = run(content, dry_run=True)
    assert [(row.line, row.outcome) for row in report.rows] == [
        (2, RowOutcome.NEW),
        (3, RowOutcome.KNOWN),
        (4, RowOutcome.ERROR),
    ]
    # The error names the field, the value and the reason, in Danish.
    (message,) = report.rows[2].messages
    assert message.startswith("Type “Rumvæsen”: ")
    assert not report.written
    assert Ambassador.objects.count() == 1
    out = io.StringIO()
    call_command("import_ambassadors", write_csv(content), "--dry-run", stdout=out)
    assert "Rumvæsen" in out.getvalue() and "nothing was written" in out.getvalue()
    assert Ambassador.objects.count() == 1


def write_csv(content: bytes) -> str:
    folder = tempfile.mkdtemp()
    path = f"{folder}/liste.csv"
    with open(path, "wb") as file:
        file.write(content)
    return path


def test_import_any_error_writes_nothing_unless_skipping(fredericia):
    bad = ["Ingen mail", "ikke-en-mail", "Privatperson", "", "", "", "", ""]
    content = csv_file(DANISH, AASE, bad)
    report = run(content, dry_run=False)
    assert report.has_errors and not report.written
    assert not Ambassador.objects.exists()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_ambassadors", write_csv(content), stdout=io.StringIO())
    assert not Ambassador.objects.exists()
    report = run(content, dry_run=False, skip_errors=True)
    assert report.written
    assert list(Ambassador.objects.values_list("email", flat=True)) == ["aase@example.dk"]


def test_import_same_email_in_any_case_is_one_ambassador(fredericia):
    twice = ["Aase H.", "AASE@example.dk", "Privatperson", "", "", "", "", ""]
    report = run(csv_file(DANISH, AASE, twice), dry_run=False)
    assert [row.outcome for row in report.rows] == [RowOutcome.NEW, RowOutcome.KNOWN]
    assert " 2" in report.rows[1].messages[0]  # "the same e-mail as row 2"
    assert Ambassador.objects.count() == 1


def test_import_never_overwrites_unless_chosen(fredericia):
    known = AmbassadorFactory(email="aase@example.dk", name="Aase Gammel")
    run(csv_file(DANISH, AASE), dry_run=False)
    known.refresh_from_db()
    assert known.name == "Aase Gammel"
    report = run(csv_file(DANISH, AASE), dry_run=False, update_existing=True)
    assert report.rows[0].outcome == RowOutcome.UPDATE
    known.refresh_from_db()
    assert known.name == "Aase Hansen"
    assert known.confirmed_at is not None  # still the ambassador they were
    assert Ambassador.objects.count() == 1


def test_import_organisation_rule_and_hostile_cells_are_row_errors(fredericia):
    rows = [
        ["Uden navn", "a@example.dk", "Forening eller organisation", "", "", "", "", ""],
        ["Aase\u202eHansen", "b@example.dk", "Privatperson", "", "", "", "", ""],
        ["<script>x</script>", "c@example.dk", "Privatperson", "", "", "", "", ""],
        ["Ok", "d@example.dk", "Privatperson", "", "70", "", "", ""],
        ["Ok", "e@example.dk", "Privatperson", "", "", "123", "", ""],
        ["Ok", "f@example.dk", "Privatperson", "", "", "", "99", ""],
    ]
    report = run(csv_file(DANISH, *rows), dry_run=False)
    assert [row.outcome for row in report.rows] == [RowOutcome.ERROR] * 6
    fields = [row.messages[0].split(" ")[0] for row in report.rows]
    assert fields == ["Organisation", "Navn", "Navn", "Postnummer", "Telefon", "Temaer"]
    assert not Ambassador.objects.exists()


def test_import_consent_record_names_file_and_user(fredericia):
    run(csv_file(DANISH, AASE), name="ambassadører 2025.csv", dry_run=False)
    record = ConsentRecord.objects.get()
    assert record.kind == ConsentKind.PRIVACY
    assert record.granted is False
    assert record.source == "imported from ambassadører 2025.csv by projektleder"


def test_imported_are_invited_not_counted_and_get_no_newsletter(fredericia):
    run(csv_file(DANISH, AASE), dry_run=False)
    aase = Ambassador.objects.get()
    assert aase.state() == AmbassadorState.INVITED
    assert not Ambassador.objects.confirmed().exists()
    assert not Ambassador.objects.unconfirmed().exists()
    assert list(Ambassador.objects.in_state(AmbassadorState.INVITED)) == [aase]
    assert not aase.accepts_newsletter
    assert not Ambassador.objects.newsletter_recipients().exists()


def test_invitation_reminder_and_deletion_after_30_days(
    fredericia, mailoutbox, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            run(csv_file(DANISH, AASE), name="liste.csv", dry_run=False)
        assert callbacks  # the worker is asked to send the invitations after the commit
        assert send_ambassador_invitations.call() == 1
        assert send_ambassador_invitations.call() == 0
    (invitation,) = mailoutbox
    assert invitation.to == ["aase@example.dk"]
    assert "liste.csv" in invitation.body
    assert "/invitation/" in invitation.body
    assert timezone.localdate(start + timedelta(days=30)).strftime("%Y") in invitation.body
    with time_machine.travel(start + timedelta(days=13), tick=False):
        assert send_ambassador_invitations.call() == 0
    with time_machine.travel(start + timedelta(days=15), tick=False):
        assert send_ambassador_invitations.call() == 1
        assert send_ambassador_invitations.call() == 0
        assert retention_apply()["unanswered_invitations_deleted"] == 0
    assert mailoutbox[1].subject != invitation.subject  # the reminder says it is one
    with time_machine.travel(start + timedelta(days=31), tick=False):
        assert retention_apply()["unanswered_invitations_deleted"] == 1
    assert not Ambassador.objects.exists()


def test_invitation_in_english_for_english_rows(fredericia, mailoutbox):
    headers = [*ENGLISH, "Language"]
    run(csv_file(headers, [*AASE, "en"]), dry_run=False)
    send_ambassador_invitations.call()
    assert mailoutbox[0].subject == "Would you like to be an ambassador?"


def test_invitation_yes_makes_an_ambassador_and_no_deletes(client, fredericia, mailoutbox):
    run(csv_file(DANISH, AASE, FORENING), dry_run=False)
    send_ambassador_invitations.call()
    links = {
        mail.to[0]: next(line for line in mail.body.split() if "/invitation/" in line)
        for mail in mailoutbox
    }
    assert client.get(links["aase@example.dk"]).status_code == 200
    client.post(links["aase@example.dk"], {"answer": "yes"})
    aase = Ambassador.objects.get(email="aase@example.dk")
    assert Ambassador.objects.confirmed().filter(pk=aase.pk).exists()
    assert aase.consents.filter(kind=ConsentKind.PRIVACY, granted=True, source="invitation")
    # The link has done its work.
    assert client.get(links["aase@example.dk"]).status_code == 400
    response = client.post(links["bo@example.dk"], {"answer": "no"})
    assert response.status_code == 200
    assert not Ambassador.objects.filter(email="bo@example.dk").exists()


IMPORT = reverse("admin:ambassadors_ambassador_import")


def upload(client, content: bytes, name="liste.csv", **options):
    data = {"file": SimpleUploadedFile(name, content), **options}
    return client.post(IMPORT, data)


def test_admin_import_previews_then_imports(
    client, project_leader, fredericia, django_capture_on_commit_callbacks
):
    client.force_login(project_leader)
    assert "Import" in client.get(reverse("admin:ambassadors_ambassador_changelist")).text
    assert client.get(IMPORT).status_code == 200
    response = upload(client, csv_file(DANISH, AASE, FORENING))
    assert response.status_code == 200
    assert [row.outcome for row in response.context["report"].rows] == ["new", "new"]
    assert "aase@example.dk" in response.text
    assert not Ambassador.objects.exists()  # the preview writes nothing
    payload = response.context["payload"]
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(IMPORT, {"payload": payload, "confirm": "1"})
    assert callbacks  # the invitations are handed to the worker
    assert response.status_code == 302
    assert Ambassador.objects.invited().count() == 2
    record = ConsentRecord.objects.filter(source__startswith="imported from liste.csv").first()
    assert record.source == f"imported from liste.csv by {project_leader.username}"


def test_admin_import_with_errors_writes_nothing_unless_skipping(
    client, project_leader, fredericia
):
    client.force_login(project_leader)
    bad = ["Bo", "bo@", "Privatperson", "", "", "", "", ""]
    response = upload(client, csv_file(DANISH, AASE, bad))
    assert not response.context["can_import"]
    assert "bo@" in response.text
    payload = response.context["payload"]
    # Posting the import anyway writes nothing.
    client.post(IMPORT, {"payload": payload, "confirm": "1"})
    assert not Ambassador.objects.exists()
    response = client.post(IMPORT, {"payload": payload, "skip_errors": "1"})
    assert response.context["can_import"]
    client.post(IMPORT, {"payload": response.context["payload"], "confirm": "1"})
    assert list(Ambassador.objects.values_list("email", flat=True)) == ["aase@example.dk"]


def test_admin_import_rejects_a_tampered_preview_and_bad_files(client, project_leader, fredericia):
    client.force_login(project_leader)
    response = client.post(IMPORT, {"payload": "forged", "confirm": "1"})
    assert response.status_code == 302 and not Ambassador.objects.exists()
    response = upload(client, b"not a workbook", name="liste.xlsx")
    assert response.status_code == 200 and response.context["form"].errors
    response = upload(client, b"x", name="liste.pdf")
    assert response.context["form"].errors
    response = upload(client, csv_file(["Navn", "Noter"], ["Aase", "x"]))
    assert "e-mail" in str(response.context["form"].errors)


def test_admin_import_needs_the_add_permission(client, committee_member, fredericia):
    client.force_login(committee_member)
    assert client.get(IMPORT).status_code == 403


def test_invited_asking_for_a_login_link_gets_the_invitation_again(
    client, fredericia, mailoutbox, django_capture_on_commit_callbacks
):
    run(csv_file(DANISH, AASE), dry_run=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ambassadors:login-request"), {"email": "AASE@example.dk"})
    (mail,) = mailoutbox
    assert "/invitation/" in mail.body  # where they say yes (their consent) or no
    assert "/bekraeft/" not in mail.body
