from django.core import mail
from django.urls import reverse

from ambassadors import services
from ambassadors.models import Newsletter, NewsletterState
from tests.ambassadors.factories import AmbassadorFactory


def test_admin_preview_test_send_count_and_confirm(
    client, project_leader, fredericia, django_capture_on_commit_callbacks
):
    project_leader.email = "leder@fredericia.dk"
    project_leader.save()
    AmbassadorFactory.create_batch(3)
    client.force_login(project_leader)
    response = client.post(
        reverse("admin:ambassadors_newsletter_add"),
        {"title": "Julebrev", "slug": "", "body": "God jul, *alle*", "include_activities": "on"},
    )
    assert response.status_code == 302
    newsletter = Newsletter.objects.get()
    assert newsletter.slug == "julebrev" and newsletter.created_by == project_leader
    url = reverse("admin:ambassadors_newsletter_preview", args=[newsletter.pk])
    page = client.get(url)
    assert "<em>alle</em>" in page.text
    assert "3 ambassadører" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"test": "1"})
    assert mail.outbox[-1].to == ["leder@fredericia.dk"] and "[TEST]" in mail.outbox[-1].subject
    confirm = client.get(url + "?confirm=1")
    assert "Ja, send til 3 ambassadører" in confirm.text
    AmbassadorFactory()  # someone joins before the click: the count is asked again
    response = client.post(url, {"send": "1", "expected": "3"})
    assert response["Location"].endswith("?confirm=1")
    assert Newsletter.objects.get().is_draft
    client.post(url, {"send": "1", "expected": "4"})
    newsletter.refresh_from_db()
    assert newsletter.state == NewsletterState.SENDING
    assert newsletter.deliveries.count() == 4
    # Sent newsletters are read-only and kept.
    change = client.get(reverse("admin:ambassadors_newsletter_change", args=[newsletter.pk]))
    assert 'name="body"' not in change.text
    assert client.get(reverse("admin:ambassadors_newsletter_changelist")).status_code == 200


def test_admin_lists_run_bounded_queries(
    client, project_leader, fredericia, django_assert_max_num_queries
):
    for n in range(5):
        newsletter = Newsletter.objects.create(title=f"Brev {n}", body="x")
        services.story_submit(
            ambassador=AmbassadorFactory(), title=f"H {n}", text="t", use="both",
            people_consented=False,
        )  # fmt: skip
    client.force_login(project_leader)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:ambassadors_newsletter_changelist")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:ambassadors_story_changelist")).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("newsletter-list")).status_code == 200
    assert newsletter
