import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from udsathed.groups import COMMITTEE_MEMBERS, PROJECT_LEADERS


@pytest.mark.django_db
def test_both_groups_exist_after_migrating():
    assert Group.objects.filter(name__in=[PROJECT_LEADERS, COMMITTEE_MEMBERS]).count() == 2


def test_project_leaders_may_change_the_strategy(project_leader):
    for action in ("add", "change", "delete", "view"):
        assert project_leader.has_perm(f"themes.{action}_theme")
        assert project_leader.has_perm(f"themes.{action}_strategy")


def test_committee_members_may_view_but_not_change(committee_member):
    assert committee_member.has_perm("themes.view_theme")
    assert committee_member.has_perm("themes.view_strategy")
    for action in ("add", "change", "delete"):
        assert not committee_member.has_perm(f"themes.{action}_theme")
        assert not committee_member.has_perm(f"themes.{action}_strategy")


def test_committee_member_sees_the_admin_read_only(client, committee_member, fredericia):
    client.force_login(committee_member)
    theme = fredericia.themes.first()
    url = reverse("admin:themes_theme_change", args=[theme.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    response = client.post(url, {"title": "Ændret", "number": 1})
    assert response.status_code == 403
    theme.refresh_from_db()
    assert theme.title != "Ændret"
    assert client.get(reverse("admin:themes_theme_add")).status_code == 403


def test_project_leader_can_edit_a_theme_in_the_admin(client, project_leader, fredericia):
    client.force_login(project_leader)
    theme = fredericia.themes.get(number=3)
    url = reverse("admin:themes_theme_change", args=[theme.pk])
    response = client.post(
        url,
        {
            "strategy": fredericia.pk,
            "number": 3,
            "title_da": theme.title_da,
            "title_en": "We want to play sport together",
            "description_da": theme.description_da,
            "description_en": "",
            "film_url": "",
        },
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.title_en == "We want to play sport together"


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("admin:themes_theme_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
