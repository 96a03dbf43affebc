from django.urls import reverse

from ambassadors.tokens import make_token
from networks.models import BallState, Membership
from tests.ambassadors.factories import AmbassadorFactory
from tests.networks.factories import BallFactory, NetworkFactory


def test_network_pages(client, fredericia, django_assert_max_num_queries):
    standing = NetworkFactory(standing=True, slug="staaende")
    closed = NetworkFactory(closed=True, name="Vinter 2018", outcome="Flere fik tag over hovedet.")
    planned = NetworkFactory(state="planned", name="Hemmelig plan")
    BallFactory(network=standing, published=True, public_title="Bænke ved havnen")
    BallFactory(network=standing, title="Privat titel", public_title="", state=BallState.PASSED)
    # A public title alone is not publishing: the sender did not agree.
    BallFactory(network=standing, public_title="Uden samtykke", state=BallState.PASSED)
    for i in range(15):
        NetworkFactory(name=f"Aktivt netværk {i}")
    with django_assert_max_num_queries(8):
        html = client.get(reverse("networks:network-list")).content.decode()
    assert standing.name in html and "Flere fik tag over hovedet." in html
    assert "Hemmelig plan" not in html
    with django_assert_max_num_queries(10):
        html = client.get(standing.get_absolute_url()).content.decode()
    assert "Bænke ved havnen" in html and "Privat titel" not in html
    assert "Uden samtykke" not in html
    assert client.get(closed.get_absolute_url()).status_code == 200
    assert client.get(planned.get_absolute_url()).status_code == 404


def test_join_needs_the_ambassador_link_then_creates_a_request(client, fredericia):
    network = NetworkFactory()
    join_url = reverse("networks:network-join", args=[network.slug])
    response = client.post(join_url, HTTP_REFERER=network.get_absolute_url())
    assert response["Location"] == reverse("ambassadors:login-request")
    ambassador = AmbassadorFactory()
    login = reverse(
        "ambassadors:ambassador-login", kwargs={"token": make_token(ambassador, "login")}
    )
    response = client.get(login)
    assert response["Location"] == network.get_absolute_url()  # back where they were
    client.post(join_url)
    assert Membership.objects.get().state == "requested"


def test_invitation_answer_page(client, fredericia, committed):
    from networks import services

    network = NetworkFactory()
    ambassador = AmbassadorFactory()
    committed(services.invitations_send, network=network, ambassadors=[ambassador])
    invitation = network.invitations.get()
    assert client.get(invitation.get_absolute_url()).status_code == 200
    client.post(invitation.get_absolute_url(), {"answer": "yes"})
    assert Membership.objects.filter(network=network, ambassador=ambassador).exists()
    assert client.get("/netvaerk/invitation/findes-ikke/").status_code == 404
