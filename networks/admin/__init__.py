"""The networks app's admin, one module per concept: balls, networks, activities."""

from networks.admin.activities import ActivityAdmin, RegistrationAdmin
from networks.admin.balls import AnswerTemplateAdmin, BallAdmin, BallNetworkFilter
from networks.admin.networks import InvitationAdmin, MembershipAdmin, NetworkAdmin

__all__ = [
    "ActivityAdmin",
    "AnswerTemplateAdmin",
    "BallAdmin",
    "BallNetworkFilter",
    "InvitationAdmin",
    "MembershipAdmin",
    "NetworkAdmin",
    "RegistrationAdmin",
]
