"""The models of the ambassadors app, one module per concept (as Zulip's `zerver/models/`):
`ambassadors` (ambassadors, their kinds and states, participation and consent records),
`certificates`, `stories` (stories and their pictures), `newsletters` (newsletters and their
deliveries). Everything is importable from `ambassadors.models` as before; the tables and the
app label are unchanged."""

from ambassadors.models.ambassadors import (
    ACTIVE_WINDOW,
    INVITATION_REMINDER_AFTER,
    INVITATION_RETENTION,
    PROFILE_FIELDS,
    RECONFIRM_EVERY,
    RECONFIRM_GRACE,
    UNCONFIRMED_RETENTION,
    Ambassador,
    AmbassadorKind,
    AmbassadorQuerySet,
    AmbassadorState,
    ConsentKind,
    ConsentRecord,
    Participation,
    ParticipationKind,
    counts_as_ambassador,
    new_token_version,
)
from ambassadors.models.certificates import (
    Certificate,
    CertificateQuerySet,
    new_certificate_code,
)
from ambassadors.models.newsletters import (
    DeliveryStatus,
    Newsletter,
    NewsletterDelivery,
    NewsletterQuerySet,
    NewsletterState,
)
from ambassadors.models.stories import (
    MAX_STORY_PICTURES,
    Story,
    StoryPicture,
    StoryQuerySet,
    StoryState,
    StoryUse,
    story_picture_path,
)

__all__ = [
    "ACTIVE_WINDOW",
    "Ambassador",
    "AmbassadorKind",
    "INVITATION_REMINDER_AFTER",
    "INVITATION_RETENTION",
    "AmbassadorQuerySet",
    "AmbassadorState",
    "Certificate",
    "CertificateQuerySet",
    "ConsentKind",
    "ConsentRecord",
    "DeliveryStatus",
    "MAX_STORY_PICTURES",
    "Newsletter",
    "NewsletterDelivery",
    "NewsletterQuerySet",
    "NewsletterState",
    "PROFILE_FIELDS",
    "Participation",
    "ParticipationKind",
    "RECONFIRM_EVERY",
    "RECONFIRM_GRACE",
    "Story",
    "StoryPicture",
    "StoryQuerySet",
    "StoryState",
    "StoryUse",
    "UNCONFIRMED_RETENTION",
    "counts_as_ambassador",
    "new_certificate_code",
    "new_token_version",
    "story_picture_path",
]
