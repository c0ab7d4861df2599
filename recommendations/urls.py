from django.urls import path

from . import views

app_name = "recommendations"
urlpatterns = [
    path("recommendations/", views.RecommendationListView.as_view(), name="recommendation_list"),
    path("recommendations/<int:pk>/", views.RecommendationDetailView.as_view(), name="recommendation_detail"),
]
