import pytest
from django.core import mail
from django.urls import reverse

from tests.ambassadors.factories import AmbassadorFactory
from tests.networks.factories import MembershipFactory, NetworkFactory


@pytest.mark.parametrize("model", ["network", "membership", "invitation", "ball"])
def test_other_changelists_and_add_pages(client, project_leader, standing, model):
    client.force_login(project_leader)
    assert client.get(reverse(f"admin:networks_{model}_changelist")).status_code == 200
    if model != "invitation":
        assert client.get(reverse(f"admin:networks_{model}_add")).status_code == 200


def test_matching_page_invites_the_chosen(
    client, project_leader, fredericia, django_capture_on_commit_callbacks
):
    theme = fredericia.themes.get(number=1)
    network = NetworkFactory(themes=[theme])
    fits = AmbassadorFactory.create_batch(3, themes=[theme])
    client.force_login(project_leader)
    url = reverse("admin:networks_network_match", args=[network.pk])
    html = client.get(url).content.decode()
    for ambassador in fits:
        assert f'value="{ambassador.pk}"' in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"ambassador": [fits[0].pk, fits[1].pk]})
    assert network.invitations.count() == 2 and len(mail.outbox) == 2


def test_network_admin_list_and_membership_approval(client, project_leader, standing):
    MembershipFactory.create_batch(3, network=standing)
    requested = MembershipFactory(network=standing, state="requested")
    client.force_login(project_leader)
    assert client.get(reverse("admin:networks_network_changelist")).status_code == 200
    client.post(
        reverse("admin:networks_membership_changelist"),
        {"action": "approve", "_selected_action": [requested.pk]},
    )
    requested.refresh_from_db()
    assert requested.state == "active"
