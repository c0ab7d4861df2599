"""The API under /api/v1/: directories, secretariat writes, the OpenAPI schema and its documentation page."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("processes", views.ProcessViewSet, basename="process")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("recommendations", views.RecommendationViewSet, basename="recommendation")
router.register("focal-points", views.FocalPointViewSet, basename="focalpoint")
router.register("countries", views.CountryViewSet, basename="country")
router.register("dispatches", views.DispatchViewSet, basename="dispatch")
router.register("surveys", views.SurveyViewSet, basename="survey")
router.register("practices", views.PracticeViewSet, basename="practice")
router.register("gcm-objectives", views.GcmObjectiveViewSet, basename="gcmobjective")

urlpatterns = [
    path("", views.api_root, name="root"),
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    # Any other address under /api/v1/ answers a JSON 404, not the site's HTML page.
    re_path(r"^", views.not_found),
]
