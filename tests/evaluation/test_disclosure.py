"""The small-count rule where figures are shown: no count of one person on any page, and a
hidden value is never drawn as a number (issue 19, item 1)."""

from tests.networks.factories import MembershipFactory, NetworkFactory


def test_network_page_never_says_1_member(client, fredericia):
    network = NetworkFactory()
    MembershipFactory(network=network)
    text = client.get(network.get_absolute_url()).content.decode()
    assert "1 medlem" not in text
    assert "Færre end 5 medlemmer" in text
    for _ in range(5):
        MembershipFactory(network=network)
    assert "6 medlemmer" in client.get(network.get_absolute_url()).content.decode()
