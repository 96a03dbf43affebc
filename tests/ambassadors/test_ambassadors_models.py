import pytest
from django.core.exceptions import ValidationError

from ambassadors.models import Ambassador, AmbassadorKind


@pytest.mark.parametrize("kind", AmbassadorKind.organisational())
def test_ambassador_clean_asks_an_organisation_for_its_name(kind):
    ambassador = Ambassador(kind=kind, name="Mette", organisation_name=" ")
    with pytest.raises(ValidationError) as error:
        ambassador.clean()
    assert list(error.value.message_dict) == ["organisation_name"]
    assert "Skriv navnet på foreningen" in error.value.message_dict["organisation_name"][0]


@pytest.mark.parametrize("kind", [AmbassadorKind.CITIZEN, AmbassadorKind.MUNICIPAL])
def test_ambassador_clean_gives_a_private_person_no_organisation(kind):
    ambassador = Ambassador(
        kind=kind,
        name="Mette",
        organisation_name="Skjult",
        description="Om os",
        website="https://x.dk",
        show_in_directory=True,
    )
    ambassador.clean()
    assert (ambassador.organisation_name, ambassador.description, ambassador.website) == (
        "",
        "",
        "",
    )
    assert ambassador.show_in_directory is False


def test_ambassador_clean_leaves_an_erased_organisation_alone():
    ambassador = Ambassador(kind=AmbassadorKind.ASSOCIATION, organisation_name="")
    ambassador.erased_at = ambassador.created_at
    ambassador.clean()
