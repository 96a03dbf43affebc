"""The read-only JSON API under /api/: what the public pages show, for other sites to build on.

It spans the apps (themes, networks, ambassadors' newsletters, evaluation's goals), so it lives
in the roof. Every queryset here is one the public pages use; a field is listed only when a
public page shows it, so nothing personal and nothing unpublished can come out."""
