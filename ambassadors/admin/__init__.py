"""The ambassadors app's admin, one module per concept: ambassadors (with their certificates,
participation and consent records), stories, newsletters."""

from ambassadors.admin.ambassadors import (
    AmbassadorAdmin,
    CertificateAdmin,
    ConsentRecordAdmin,
    LivesInMunicipalityFilter,
    ParticipationAdmin,
    StateFilter,
)
from ambassadors.admin.newsletters import NewsletterAdmin, NewsletterForm
from ambassadors.admin.stories import StoryAdmin, StoryReviewForm

__all__ = [
    "AmbassadorAdmin",
    "CertificateAdmin",
    "ConsentRecordAdmin",
    "LivesInMunicipalityFilter",
    "NewsletterAdmin",
    "NewsletterForm",
    "ParticipationAdmin",
    "StateFilter",
    "StoryAdmin",
    "StoryReviewForm",
]
