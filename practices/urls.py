from django.urls import path

from . import feeds, views

app_name = "practices"
urlpatterns = [
    path("practices/", views.PracticeListView.as_view(), name="practice_list"),
    path("practices/<int:pk>/", views.PracticeDetailView.as_view(), name="practice_detail"),
    path("practices/feed/atom/", feeds.practice_feed, name="practice_feed"),
    path("practices/feed/gcm-objective/<int:number>/atom/", feeds.practice_feed, name="gcm_objective_feed"),
    path("practices/calls/", views.CallListView.as_view(), name="call_list"),
    path("practices/calls/<int:pk>/", views.CallDetailView.as_view(), name="call_detail"),
    path("gcm-objectives/", views.GcmObjectiveListView.as_view(), name="gcm_objective_list"),
    path("gcm-objectives/<int:number>/", views.GcmObjectiveDetailView.as_view(), name="gcm_objective_detail"),
]
