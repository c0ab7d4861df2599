"""API endpoints: the public directories (same querysets and FilterSets as the pages) and secretariat writes."""

import django_filters
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import mixins, pagination, permissions, serializers, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from exchange.workflow import DispatchPermissionError
from meetings.filters import DocumentFilterSet, MeetingFilterSet
from meetings.models import Document, Meeting
from practices.filters import PracticeFilterSet
from practices.models import Practice
from rcps.filters import CountryFilterSet, FocalPointFilterSet, ProcessFilterSet
from rcps.models import FocalPoint, Process, with_process_counts
from recommendations.filters import RecommendationFilterSet
from recommendations.models import Recommendation
from reference.models import Country, GcmObjective
from surveys.filters import SurveyFilterSet
from surveys.models import Survey

from . import schema  # noqa: F401  (registers the filter extension)
from . import serializers as api
from .permissions import IsSecretariat

DETAIL = inline_serializer("ErrorDetail", {"detail": serializers.CharField()})
ERRORS = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description=_(
            "Invalid input: each field named with its messages (`{field: [message]}`). A query parameter the "
            "endpoint does not know (a misspelt filter such as `?yr=2008`) is refused the same way, never ignored."
        ),
    ),
    401: OpenApiResponse(DETAIL, description=_("Missing or invalid token.")),
    403: OpenApiResponse(DETAIL, description=_("The token's user may not do this.")),
    404: OpenApiResponse(DETAIL, description=_("No such public record, or no such page.")),
    429: OpenApiResponse(DETAIL, description=_("Too many requests; retry after the time given in Retry-After.")),
}


def responses(success, *codes):
    return {**success, **{code: ERRORS[code] for code in codes}}


class DirectoryPagination(pagination.PageNumberPagination):
    """25 records a page; `?page_size=` from 1 to 100, anything else is a 400 (not silently ignored)."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [_("A whole number from 1 to %(max)s.") % {"max": self.max_page_size}]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


class PublicDirectoryViewSet(viewsets.ReadOnlyModelViewSet):
    """A public directory: the page's queryset and FilterSet, paginated JSON."""

    permission_classes = [permissions.AllowAny]
    pagination_class = DirectoryPagination
    filter_backends = [DjangoFilterBackend]

    # Query parameters that are not filters: pagination, and DRF's format suffix.
    NON_FILTER_PARAMETERS = {"page", "page_size", "format"}

    def filter_queryset(self, queryset):
        # Filters (and their defaults, such as "top-level meetings only") belong to lists, not to detail.
        if self.action != "list":
            return queryset
        known = set(self.filterset_class.base_filters) | self.NON_FILTER_PARAMETERS
        unknown = sorted(set(self.request.query_params) - known)
        if unknown:
            # A misspelt filter silently ignored would answer a different question than the one asked.
            raise ValidationError({name: [_("Unknown query parameter.")] for name in unknown})
        return super().filter_queryset(queryset)


def read_schema(serializer, name):
    return extend_schema_view(
        list=extend_schema(
            summary=_("List public %(name)s") % {"name": name},
            responses=responses({200: serializer}, 400, 401, 404, 429),
        ),
        retrieve=extend_schema(
            summary=_("One public record of %(name)s") % {"name": name},
            responses=responses({200: serializer}, 401, 404, 429),
        ),
    )


@read_schema(api.ProcessSerializer, "processes")
class ProcessViewSet(PublicDirectoryViewSet):
    serializer_class = api.ProcessSerializer
    filterset_class = ProcessFilterSet
    lookup_field = "slug"

    def get_queryset(self):
        return Process.objects.public().with_related().with_member_counts()


@extend_schema_view(
    list=extend_schema(
        summary=_("List public meetings"), responses=responses({200: api.MeetingSerializer}, 400, 401, 404, 429)
    ),
    retrieve=extend_schema(
        summary=_("One public meeting"), responses=responses({200: api.MeetingSerializer}, 401, 404, 429)
    ),
    create=extend_schema(
        summary=_("Submit a meeting of your processes"),
        request=api.MeetingWriteSerializer,
        responses=responses({201: api.MeetingWriteSerializer}, 400, 401, 403, 429),
    ),
    partial_update=extend_schema(
        summary=_("Change a meeting of your processes"),
        request=api.MeetingWriteSerializer,
        responses=responses({200: api.MeetingWriteSerializer}, 400, 401, 403, 404, 429),
    ),
)
class MeetingViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, PublicDirectoryViewSet):
    """Public meetings; a secretariat's token may add meetings of its processes and change them."""

    filterset_class = MeetingFilterSet
    http_method_names = ["get", "post", "patch", "head"]
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsSecretariat]

    def get_queryset(self):
        if self.action == "partial_update":
            # Only meetings of the user's own processes can be changed; others are not found.
            return Meeting.objects.managed_by(self.request.user).prefetch_related("organizing_processes", "themes")
        return Meeting.objects.public().with_public_related().prefetch_related("themes")

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return api.MeetingWriteSerializer
        return api.MeetingSerializer


@read_schema(api.DocumentSerializer, "documents")
class DocumentViewSet(PublicDirectoryViewSet):
    serializer_class = api.DocumentSerializer
    filterset_class = DocumentFilterSet

    def get_queryset(self):
        return Document.objects.public().with_related()


@read_schema(api.RecommendationSerializer, "recommendations")
class RecommendationViewSet(PublicDirectoryViewSet):
    serializer_class = api.RecommendationSerializer
    filterset_class = RecommendationFilterSet

    def get_queryset(self):
        return Recommendation.objects.public().with_public_related()


@read_schema(api.FocalPointSerializer, "focal points")
class FocalPointViewSet(PublicDirectoryViewSet):
    serializer_class = api.FocalPointSerializer
    filterset_class = FocalPointFilterSet

    def get_queryset(self):
        return FocalPoint.objects.public().with_related()


@read_schema(api.CountrySerializer, "countries")
class CountryViewSet(PublicDirectoryViewSet):
    serializer_class = api.CountrySerializer
    filterset_class = CountryFilterSet
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"

    def get_queryset(self):
        return with_process_counts(Country.objects.select_related("region"))

    def get_object(self):
        # Page addresses use lower case (/countries/lk/); the API takes either.
        return get_object_or_404(self.get_queryset(), code=self.kwargs["code"].upper())


# Good practices (issue 16) ----------------------------------------------------------------


class GcmObjectiveFilterSet(django_filters.FilterSet):
    """No filters: the 23 objectives are one short list (declared so unknown parameters are refused)."""

    class Meta:
        model = GcmObjective
        fields = []


@read_schema(api.GcmObjectiveSerializer, "GCM objectives")
class GcmObjectiveViewSet(PublicDirectoryViewSet):
    serializer_class = api.GcmObjectiveSerializer
    filterset_class = GcmObjectiveFilterSet
    lookup_field = "number"
    lookup_value_regex = "[0-9]{1,2}"

    def get_queryset(self):
        return GcmObjective.objects.order_by("number")


@read_schema(api.PracticeSerializer, "practices")
class PracticeViewSet(PublicDirectoryViewSet):
    serializer_class = api.PracticeSerializer
    filterset_class = PracticeFilterSet

    def get_queryset(self):
        return Practice.objects.public().with_export_related().newest_first()


@extend_schema_view(
    create=extend_schema(
        summary=_("Send a dispatch to the GFMD from one of your processes"),
        description=_(
            "The dispatch is submitted to the GFMD Support Unit for moderation (or kept as a draft with "
            "`submit: false`); it appears on /exchange/ and in the feeds only once the Support Unit publishes it."
        ),
        request=api.DispatchWriteSerializer,
        responses=responses({201: api.DispatchWriteSerializer}, 400, 401, 403, 429),
    )
)
class DispatchViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = api.DispatchWriteSerializer
    permission_classes = [permissions.IsAuthenticated, IsSecretariat]

    def perform_create(self, serializer):
        try:
            serializer.save()
        except DispatchPermissionError as error:
            raise PermissionDenied(str(error)) from error


@extend_schema_view(
    list=extend_schema(
        summary=_("List surveys whose results are published"),
        responses=responses({200: api.SurveyListSerializer}, 400, 401, 404, 429),
    ),
    retrieve=extend_schema(
        summary=_("One published survey: response table, public questions, consented answers"),
        responses=responses({200: api.SurveySerializer}, 401, 404, 429),
    ),
)
class SurveyViewSet(PublicDirectoryViewSet):
    filterset_class = SurveyFilterSet
    lookup_field = "slug"

    def get_serializer_class(self):
        return api.SurveyListSerializer if self.action == "list" else api.SurveySerializer

    def get_queryset(self):
        return Survey.objects.public().with_response_counts().order_by("-year", "title")


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from vendored files, its start-up script served from this URL: no inline script under the CSP."""

    template_name = "api/api_docs.html"
    title = _("RCP Portal API")


API_ROOT_ENDPOINTS = {
    "processes": "api:process-list",
    "meetings": "api:meeting-list",
    "documents": "api:document-list",
    "recommendations": "api:recommendation-list",
    "focal_points": "api:focalpoint-list",
    "countries": "api:country-list",
    "dispatches": "api:dispatch-list",
    "surveys": "api:survey-list",
    "practices": "api:practice-list",
    "gcm_objectives": "api:gcmobjective-list",
    "schema": "api:schema",
    "documentation": "api:docs",
}


@extend_schema(exclude=True)
@api_view(["GET", "HEAD"])
@permission_classes([permissions.AllowAny])
def api_root(request):
    """Where to start: the address of every endpoint, the schema and its documentation."""
    return Response(
        {name: request.build_absolute_uri(reverse(url_name)) for name, url_name in API_ROOT_ENDPOINTS.items()}
    )


@extend_schema(exclude=True)
@api_view(["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"])
@permission_classes([permissions.AllowAny])
def not_found(request, *args, **kwargs):
    raise NotFound()


def exception_handler(exc, context):
    """DRF's handler; a 404 from Django's get_object_or_404 ("No Meeting matches the given query.", which
    Django never translates) says the documented message, in the reader's language."""
    if isinstance(exc, Http404):
        exc = NotFound(_("No such public record, or no such page."))
    return drf_exception_handler(exc, context)
