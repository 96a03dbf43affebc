from django.urls import path

from ambassadors import views

app_name = "ambassadors"

urlpatterns = [
    path("", views.DirectoryView.as_view(), name="ambassador-list"),
    path("bliv-ambassadoer/", views.AmbassadorSignUpView.as_view(), name="ambassador-signup"),
    path(
        "bliv-ambassadoer/tak/",
        views.AmbassadorSignUpDoneView.as_view(),
        name="ambassador-signup-done",
    ),
    path("bekraeft/<str:token>/", views.AmbassadorConfirmView.as_view(), name="ambassador-confirm"),
    path(
        "invitation/<str:token>/",
        views.AmbassadorInvitationView.as_view(),
        name="ambassador-invitation",
    ),
    path("forbliv/<str:token>/", views.AmbassadorStayView.as_view(), name="ambassador-stay"),
    path("min-side/", views.AmbassadorSelfView.as_view(), name="ambassador-self"),
    path("min-side/log-ind/", views.LoginRequestView.as_view(), name="login-request"),
    path(
        "min-side/log-ind/<str:token>/",
        views.AmbassadorLoginView.as_view(),
        name="ambassador-login",
    ),
    path("min-side/log-ud/", views.LogoutView.as_view(), name="logout"),
    path(
        "min-side/bevis.pdf", views.CertificateDownloadView.as_view(), name="certificate-download"
    ),
    path("min-side/mine-data.json", views.DataExportView.as_view(), name="ambassador-export"),
    path(
        "min-side/nyhedsbrev/afmeld/",
        views.NewsletterOptOutView.as_view(),
        name="newsletter-opt-out",
    ),
    path("min-side/historie/", views.StoryCreateView.as_view(), name="story-create"),
    path("historier/billeder/<int:pk>/", views.story_picture, name="story-picture"),
    path("min-side/udmeld/", views.AmbassadorWithdrawView.as_view(), name="ambassador-withdraw"),
    path("bevis/<str:code>/", views.CertificateVerifyView.as_view(), name="certificate-verify"),
]
