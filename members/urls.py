from django.urls import path

from . import feeds, views

app_name = "members"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("invite/", views.InviteView.as_view(), name="invite"),
    path("invitation/<str:token>/", views.AcceptView.as_view(), name="accept"),
    path("two-factor/", views.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("two-factor/verify/", views.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("processes/<slug:slug>/", views.ProcessView.as_view(), name="process"),
    path("processes/<slug:slug>/data/", views.ProcessDataView.as_view(), name="process_data"),
    path("processes/<slug:slug>/data/submit/", views.FigureSubmitView.as_view(), name="figure_submit"),
    path("processes/<slug:slug>/data/upload/", views.FigureUploadView.as_view(), name="figure_upload"),
    path("catalogue/<slug:slug>/", views.CatalogueView.as_view(), name="catalogue"),
    path("lists/<slug:slug>/", views.ListsView.as_view(), name="lists"),
    path("lists/<slug:slug>/<int:pk>/send/", views.SendListMessageView.as_view(), name="list_send"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("figures/<int:pk>/release/", views.FigureReleaseView.as_view(), name="figure_release"),
    path("documents/<int:pk>/file/", views.DocumentFileView.as_view(), name="document_file"),
    path("calendar-link/", views.FeedKeyView.as_view(), name="feed_key"),
    path("calendar/<str:key>.ics", views.private_calendar, name="calendar"),
    path("feed/<str:key>.atom", feeds.private_feed, name="feed"),
]
