"""Every named public URL pattern has an accessibility check or a stated reason not to."""

from tests.site_pages import NOT_PAGES, PUBLIC_PAGES, public_url_names


def test_every_public_url_pattern_is_checked_or_excluded_with_a_reason():
    names = public_url_names()
    assert "themes:home" in names and "networks:ball-create" in names  # the walk finds them
    unchecked = names - set(PUBLIC_PAGES) - set(NOT_PAGES)
    assert unchecked == set(), f"no accessibility check for {sorted(unchecked)}"
    assert set(PUBLIC_PAGES) & set(NOT_PAGES) == set()
    assert set(PUBLIC_PAGES) | set(NOT_PAGES) <= names, "the map names patterns that are gone"
    assert all(reason.strip() for reason in NOT_PAGES.values())
