"""The small-count rule where figures are shown: no count of one person on any page, and a
hidden value is never drawn as a number (issue 19, item 1)."""

from django.utils.translation import gettext

from tests.networks.factories import MembershipFactory, NetworkFactory


def new_text(danish: str, msgid: str) -> str:
    """A new text as the page shows it: Danish once the fragment is in the catalogue (the
    integrator merges /work/po/dash.po), the English msgid until then."""
    return danish if gettext(msgid) != msgid else msgid


def test_network_page_never_says_1_member(client, fredericia):
    network = NetworkFactory()
    MembershipFactory(network=network)
    text = client.get(network.get_absolute_url()).content.decode()
    assert "1 medlem" not in text
    assert new_text("Færre end 5 medlemmer", "Fewer than 5 members") in text
    for _ in range(5):
        MembershipFactory(network=network)
    assert "6 medlemmer" in client.get(network.get_absolute_url()).content.decode()
