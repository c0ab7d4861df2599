from django.urls import path

from . import views

app_name = "rcps"
urlpatterns = [
    path("processes/", views.ProcessListView.as_view(), name="process_list"),
    path("processes/<slug:slug>/", views.ProcessDetailView.as_view(), name="process_detail"),
    path("recommendations/", views.RecommendationListView.as_view(), name="recommendation_list"),
    path("recommendations/<int:pk>/", views.RecommendationDetailView.as_view(), name="recommendation_detail"),
    path("focal-points/", views.FocalPointListView.as_view(), name="focalpoint_list"),
    path("countries/", views.CountryListView.as_view(), name="country_list"),
    path("countries/<str:code>/", views.CountryDetailView.as_view(), name="country_detail"),
    path("overlap/", views.OverlapView.as_view(), name="overlap"),
    path("overlap/<slug:slug_a>/<slug:slug_b>/", views.OverlapPairView.as_view(), name="overlap_pair"),
]
