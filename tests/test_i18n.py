"""Issue 20 items 2 and 6: the admin in Danish throughout, and complete catalogues.

The third-party apps' texts are translated by the portal's catalogue (udsathed/admin_names.py);
these tests read the compiled catalogue, so they hold once the fragments are merged into
`locale/` and compiled.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ambassadors.models import Ambassador
from tests.ambassadors.factories import AmbassadorFactory

# What the Danish admin showed in English before (issue 20): app, model, field, filter names.
KNOWN_ENGLISH = [
    "Access attempts",
    "Access failures",
    "Access logs",
    "Axes",
    "TOTP devices",
    "TOTP device",
    "Otp_Totp",
    "Task Results",
    "Tasks Database Backend",
    "Attempt Time",
    "IP Address",
    "User Agent",
    "Locked Out",
    "Form Data",
    "Meta Data",
    "Enqueued at",
    "Queue name",
    "Task name",
    "Last used at",
    "Created at",
    "Identity",
    "Throttling",
    "Change reason",
    "Date/time",
    "Changed by",
]

ADMIN_PAGES = [
    ("admin:index", []),
    ("admin:axes_accessattempt_changelist", []),
    ("admin:axes_accesslog_changelist", []),
    ("admin:axes_accessfailurelog_changelist", []),
    ("admin:otp_totp_totpdevice_changelist", []),
    ("admin:otp_totp_totpdevice_add", []),
    ("admin:django_tasks_database_dbtaskresult_changelist", []),
]


def visible_text(html: str) -> str:
    """The page's text as read, without tags, scripts and attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def assert_no_english(text: str, where: str) -> None:
    found = [phrase for phrase in KNOWN_ENGLISH if re.search(rf"\b{re.escape(phrase)}\b", text)]
    assert not found, f"{where} shows English: {found}"


@pytest.mark.parametrize(("name", "args"), ADMIN_PAGES, ids=[name for name, _ in ADMIN_PAGES])
def test_danish_admin_shows_no_english(name, args, client, superuser):
    client.force_login(superuser)
    with translation.override("da"):
        response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert_no_english(visible_text(response.content.decode()), name)


def test_danish_history_page_shows_no_english(client, superuser):
    ambassador = AmbassadorFactory()
    client.force_login(superuser)
    with translation.override("da"):
        url = reverse("admin:ambassadors_ambassador_history", args=[ambassador.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert_no_english(visible_text(response.content.decode()), "the ambassador's history")
    assert Ambassador.history.model.objects.filter(id=ambassador.pk).exists()


def po_entries(path: Path):
    """(msgid, msgstr or plural msgstrs, flags) for every entry of a .po file but the header."""
    entry: dict = {}
    current = None

    def done():
        if entry.get("msgid") and not entry.get("obsolete"):
            yield entry.get("msgctxt"), entry["msgid"], entry.get("msgstr", {}), entry["flags"]

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            yield from done()
            entry, current = {}, None
            continue
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        entry.setdefault("flags", set())
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?) "(.*)"$', line)
        if match:
            keyword, index, text = match.groups()
            current = (keyword.split("[")[0], index or "0")
            if current[0] == "msgstr":
                entry.setdefault("msgstr", {})[current[1]] = text
            else:
                entry[current[0]] = text
        elif line.startswith('"') and current:
            text = line[1:-1]
            if current[0] == "msgstr":
                entry["msgstr"][current[1]] += text
            else:
                entry[current[0]] += text


def untranslated(path: Path) -> list[str]:
    return [
        msgid
        for _, msgid, msgstrs, flags in po_entries(path)
        if "fuzzy" in flags or not msgstrs or not all(msgstrs.values())
    ]


@pytest.mark.parametrize("language", ["en", "da"])
def test_every_msgid_has_a_translation(language):
    """English msgids need an English msgstr too: locale/en is compiled like Danish, and an
    empty msgstr leaves a third-party app's own translation or a stale one to show instead."""
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    missing = untranslated(path)
    assert not missing, f"{len(missing)} msgids without a translation in {language}: {missing[:10]}"


def test_an_empty_or_fuzzy_msgstr_is_found(tmp_path):
    path = tmp_path / "django.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        'msgid "Done"\nmsgstr "Done"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Guess"\nmsgstr "Guess"\n\n'
        'msgid "long"\nmsgstr ""\n"a long "\n"text"\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "one"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    assert untranslated(path) == ["Empty", "Guess", "one"]


def test_the_po_reader_sees_every_entry():
    path = Path(settings.BASE_DIR) / "locale" / "da" / "LC_MESSAGES" / "django.po"
    text = path.read_text(encoding="utf-8")
    entries = list(po_entries(path))
    assert len(entries) == len(re.findall(r"^msgid ", text, flags=re.M)) - 1  # the header
