from django.urls import path

from . import views

app_name = "rcps"
urlpatterns = [
    path("processes/", views.ProcessListView.as_view(), name="process_list"),
    path("processes/<slug:slug>/", views.ProcessDetailView.as_view(), name="process_detail"),
    path("recommendations/<int:pk>/", views.RecommendationDetailView.as_view(), name="recommendation_detail"),
    path("countries/<str:code>/", views.CountryDetailView.as_view(), name="country_detail"),
]
