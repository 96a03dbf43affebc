"""The ambassadors app's pages, one module per concept: `ambassadors` (sign-up, the e-mail
links, 'Min side', the directory), `certificates`, `stories`, `newsletters`; `access` holds how
a page knows its ambassador. Every view is importable from `ambassadors.views` as before."""

from ambassadors.views.access import (
    AFTER_LOGIN_KEY,
    SESSION_KEY,
    AmbassadorRequiredMixin,
    current_ambassador,
    email_key,
    email_rate,
    log_in,
    public_form_limits,
    typed_email,
)
from ambassadors.views.ambassadors import (
    AmbassadorConfirmView,
    AmbassadorInvitationView,
    AmbassadorLoginView,
    AmbassadorSelfView,
    AmbassadorSignUpDoneView,
    AmbassadorSignUpView,
    AmbassadorStayView,
    AmbassadorWithdrawView,
    DataExportView,
    DirectoryView,
    LoginRequestView,
    LogoutView,
    TokenView,
)
from ambassadors.views.certificates import (
    CertificateDownloadView,
    CertificateVerifyView,
)
from ambassadors.views.newsletters import (
    NewsletterDetailView,
    NewsletterListView,
    NewsletterOptOutView,
    NewsletterUnsubscribeView,
)
from ambassadors.views.stories import (
    StoryCreateView,
    story_picture,
)

__all__ = [
    "AFTER_LOGIN_KEY",
    "AmbassadorConfirmView",
    "AmbassadorInvitationView",
    "AmbassadorLoginView",
    "AmbassadorRequiredMixin",
    "AmbassadorSelfView",
    "AmbassadorSignUpDoneView",
    "AmbassadorSignUpView",
    "AmbassadorStayView",
    "AmbassadorWithdrawView",
    "CertificateDownloadView",
    "CertificateVerifyView",
    "DataExportView",
    "DirectoryView",
    "LoginRequestView",
    "LogoutView",
    "NewsletterDetailView",
    "NewsletterListView",
    "NewsletterOptOutView",
    "NewsletterUnsubscribeView",
    "SESSION_KEY",
    "StoryCreateView",
    "TokenView",
    "current_ambassador",
    "email_key",
    "email_rate",
    "log_in",
    "public_form_limits",
    "story_picture",
    "typed_email",
]
