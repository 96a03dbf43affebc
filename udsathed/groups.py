"""The two staff groups every installation has, kept in step with the models after each migrate.

- "Projektledere" (project leaders) may add, change, delete and view everything in the portal's
  own apps.
- "Udvalgsmedlemmer" (committee members) may view the strategy and the evaluation data and
  change nothing. They never get the free text of balls; they read aggregates on the dashboard
  and, in the admin, the public record of the published balls (`view_published_ball`).
- "Netværksledere" (network leads, staff) may read and comment on the balls of the networks
  they lead; the admin scopes what they see.
- "Databeskyttelse" (data protection, the data-protection officer) may read the audit trail of
  staff reads of personal data, and nothing else.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

PROJECT_LEADERS = "Projektledere"
COMMITTEE_MEMBERS = "Udvalgsmedlemmer"
NETWORK_LEADS = "Netværksledere"
DATA_PROTECTION = "Databeskyttelse"
# Leads see and comment on the balls of the networks they lead (scoped in BallAdmin), no more.
NETWORK_LEAD_PERMISSIONS = [
    "view_network",
    "view_ball",
    "view_ballevent",
    "view_ballcomment",
    "add_ballcomment",
]

PORTAL_APPS = ["themes", "ambassadors", "networks", "evaluation"]
COMMITTEE_VIEW_APPS = ["themes", "evaluation"]


def ensure_groups(sender=None, using="default", **kwargs) -> None:
    """Create the groups if missing and give them exactly their permissions (idempotent)."""
    permissions = Permission.objects.using(using).filter(content_type__app_label__in=PORTAL_APPS)
    leaders, _ = Group.objects.using(using).get_or_create(name=PROJECT_LEADERS)
    leaders.permissions.set(permissions)
    committee, _ = Group.objects.using(using).get_or_create(name=COMMITTEE_MEMBERS)
    leads, _ = Group.objects.using(using).get_or_create(name=NETWORK_LEADS)
    leads.permissions.set(
        permissions.filter(
            content_type__app_label="networks", codename__in=NETWORK_LEAD_PERMISSIONS
        )
    )
    committee.permissions.set(
        permissions.filter(
            Q(content_type__app_label__in=COMMITTEE_VIEW_APPS, codename__startswith="view_")
            | Q(content_type__app_label="networks", codename="view_published_ball")
        )
    )
    data_protection, _ = Group.objects.using(using).get_or_create(name=DATA_PROTECTION)
    data_protection.permissions.set(
        Permission.objects.using(using).filter(
            content_type__app_label="core", codename="view_auditentry"
        )
    )
