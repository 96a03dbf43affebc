import pytest
from django.contrib import admin
from django.urls import reverse

from tests.ambassadors.factories import AmbassadorFactory


def autocomplete_fields():
    """Every (model, field) the admin looks up by typing, in the model admins and their inlines."""
    found = []
    for model, model_admin in admin.site._registry.items():
        inlines = [inline(model, admin.site) for inline in model_admin.inlines]
        for owner in [model_admin, *inlines]:
            for field in owner.autocomplete_fields:
                found.append((owner.model._meta.app_label, owner.model._meta.model_name, field))
    return sorted(found)


@pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")
@pytest.mark.parametrize(("app_label", "model_name", "field_name"), autocomplete_fields())
def test_every_admin_autocomplete_pages_a_stable_order(
    client, superuser, fredericia, app_label, model_name, field_name
):
    AmbassadorFactory.create_batch(3)
    client.force_login(superuser)
    query = {"app_label": app_label, "model_name": model_name, "field_name": field_name}
    first = client.get(reverse("admin:autocomplete"), query)
    assert first.status_code == 200
    second = client.get(reverse("admin:autocomplete"), query)
    assert first.json()["results"] == second.json()["results"]
