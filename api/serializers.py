"""What the API shows of each public record, and what a secretariat may send.

Read serializers expect querysets from the models' `.public()` and `with_*related()` methods:
nested processes, meetings and documents come from prefetches filtered to public rows, so a
non-public neighbour shows as null or is left out, never leaks.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from exchange.models import Dispatch
from exchange.workflow import dispatch_create
from meetings.models import Document, Meeting
from practices.models import Practice
from rcps.models import FocalPoint, Process
from rcps.scoping import serves
from recommendations.models import FollowUp, Recommendation
from reference.models import Country, GcmObjective, Region, Theme
from surveys.models import Survey
from surveys.results import survey_results

from .permissions import unmanaged_processes


class NulSafeSlugRelatedField(serializers.SlugRelatedField):
    """A slug lookup that refuses NUL characters, which PostgreSQL cannot even compare (a 500 otherwise)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", "\\x00"))
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The absolute address of the record's public page."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        url = obj.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


# Light nested representations ---------------------------------------------------------


class ThemeLightSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["slug", "name"]


class RegionLightSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["slug", "code", "name"]


class CountryLightSerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "name"]


class ProcessLightSerializer(serializers.ModelSerializer):
    url = PageUrlField()

    class Meta:
        model = Process
        fields = ["slug", "name", "acronym", "url"]


class MeetingLightSerializer(serializers.ModelSerializer):
    url = PageUrlField()

    class Meta:
        model = Meeting
        fields = ["id", "title", "start_date", "url"]


class DocumentLightSerializer(serializers.ModelSerializer):
    url = PageUrlField()

    class Meta:
        model = Document
        fields = ["id", "title", "url"]


# Directories ------------------------------------------------------------------------------


class ProcessSerializer(serializers.ModelSerializer):
    regions = RegionLightSerializer(many=True, read_only=True)
    themes = ThemeLightSerializer(many=True, read_only=True)
    secretariat = serializers.StringRelatedField(allow_null=True)
    member_count = serializers.IntegerField(read_only=True)
    url = PageUrlField()

    class Meta:
        model = Process
        fields = [
            "slug",
            "name",
            "acronym",
            "other_names",
            "kind",
            "regions",
            "region_note",
            "year_established",
            "status",
            "level",
            "md_stance",
            "themes",
            "description",
            "website",
            "secretariat",
            "member_count",
            "confidence",
            "source",
            "url",
        ]


class MeetingSerializer(serializers.ModelSerializer):
    organizing_processes = ProcessLightSerializer(many=True, read_only=True)
    themes = ThemeLightSerializer(many=True, read_only=True)
    country = CountryLightSerializer(allow_null=True, read_only=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    dates = serializers.CharField(source="date_display", read_only=True)
    url = PageUrlField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "kind",
            "level",
            "session_code",
            "parent",
            "start_date",
            "end_date",
            "date_precision",
            "dates",
            "city",
            "country",
            "host",
            "organizing_processes",
            "themes",
            "description",
            "website",
            "confidence",
            "source",
            "url",
        ]


class DocumentSerializer(serializers.ModelSerializer):
    meeting = MeetingLightSerializer(allow_null=True, read_only=True)
    process = ProcessLightSerializer(allow_null=True, read_only=True)
    download_url = serializers.SerializerMethodField()
    url = PageUrlField()

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "kind",
            "language",
            "date",
            "year",
            "meeting",
            "process",
            "url",
            "download_url",
            "reference",
            "author",
            "description",
            "source",
        ]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_download_url(self, document):
        """The uploaded file (through the visibility-checking view) or the web address of the document."""
        if document.file:
            path = reverse("meetings:document_download", kwargs={"pk": document.pk})
            request = self.context.get("request")
            return request.build_absolute_uri(path) if request else path
        return document.url or None


class FollowUpSerializer(serializers.ModelSerializer):
    process = ProcessLightSerializer(read_only=True)
    # Prefetched from public documents only (FollowUpQuerySet.with_public_related): null when not public.
    evidence_document = DocumentLightSerializer(allow_null=True, read_only=True)

    class Meta:
        model = FollowUp
        fields = ["process", "status", "date", "note", "evidence_url", "evidence_document"]


class RecommendationSerializer(serializers.ModelSerializer):
    issuing_process = ProcessLightSerializer(allow_null=True, read_only=True)
    source_meeting = MeetingLightSerializer(allow_null=True, read_only=True)
    source_document = DocumentLightSerializer(allow_null=True, read_only=True)
    addressee_groups = NulSafeSlugRelatedField(many=True, read_only=True, slug_field="slug")
    addressed_processes = ProcessLightSerializer(many=True, read_only=True)
    themes = ThemeLightSerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(source="public_follow_ups", many=True, read_only=True)
    url = PageUrlField()

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "title",
            "text",
            "is_verbatim",
            "kind",
            "year",
            "issuing_process",
            "issuing_body",
            "source_meeting",
            "source_document",
            "addressee_groups",
            "addressed_processes",
            "addressees_note",
            "themes",
            "outcome_note",
            "follow_ups",
            "source",
            "url",
        ]


class FocalPointSerializer(serializers.ModelSerializer):
    """Name, e-mail and phone are personal data: empty unless the person consented to publication."""

    process = ProcessLightSerializer(read_only=True)
    country = CountryLightSerializer(allow_null=True, read_only=True)
    name = serializers.CharField(source="public_name", read_only=True)
    email = serializers.CharField(source="public_email", read_only=True)
    phone = serializers.CharField(source="public_phone", read_only=True)

    class Meta:
        model = FocalPoint
        fields = ["id", "process", "role", "country", "institution", "position", "name", "email", "phone"]


class CountrySerializer(serializers.ModelSerializer):
    region = RegionLightSerializer(allow_null=True, read_only=True)
    process_count = serializers.IntegerField(read_only=True)
    url = PageUrlField()

    class Meta:
        model = Country
        fields = ["code", "alpha3", "name", "official_name", "region", "process_count", "url"]


# Writes ---------------------------------------------------------------------------------


def apply_model_validation(instance):
    """Run the model's own validation and report it as API field errors."""
    try:
        instance.full_clean()
    except DjangoValidationError as error:
        raise serializers.ValidationError(serializers.as_serializer_error(error)) from error


class MeetingWriteSerializer(serializers.ModelSerializer):
    """A meeting submitted by a secretariat's own system, for processes the token's user serves."""

    organizing_processes = NulSafeSlugRelatedField(
        many=True,
        slug_field="slug",
        queryset=Process.objects.all(),
        help_text=_("Slugs of the organizing processes: every one must be a process you serve."),
    )
    themes = NulSafeSlugRelatedField(many=True, slug_field="slug", queryset=Theme.objects.all(), required=False)
    country = NulSafeSlugRelatedField(
        slug_field="code", queryset=Country.objects.all(), required=False, allow_null=True
    )
    parent = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.public(), required=False, allow_null=True)
    url = PageUrlField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "kind",
            "level",
            "organizing_processes",
            "parent",
            "session_code",
            "start_date",
            "end_date",
            "date_precision",
            "date_text",
            "city",
            "country",
            "host",
            "themes",
            "description",
            "website",
            "visibility",
            "source",
            "url",
        ]
        read_only_fields = ["id"]

    def get_fields(self):
        fields = super().get_fields()
        # Only public processes and the user's own can be named: others do not exist for them.
        user = self.context["request"].user if "request" in self.context else None
        if user is not None:
            fields["organizing_processes"].child_relation.queryset = Process.objects.public_or_managed_by(user)
        return fields

    def validate_organizing_processes(self, processes):
        if not processes:
            raise serializers.ValidationError(_("Name at least one organizing process."))
        others = unmanaged_processes(self.context["request"].user, processes)
        if others:
            raise serializers.ValidationError(
                _("You can only submit meetings of processes you serve; not yours: %(slugs)s.")
                % {"slugs": ", ".join(process.slug for process in others)}
            )
        return processes

    @transaction.atomic
    def create(self, validated_data):
        return meeting_save(meeting=Meeting(), data=validated_data, user=self.context["request"].user)

    @transaction.atomic
    def update(self, instance, validated_data):
        return meeting_save(meeting=instance, data=validated_data, user=self.context["request"].user)


M2M_FIELDS = ("organizing_processes", "themes")


def meeting_save(*, meeting, data, user):
    """Validate and save a meeting from the API with its relations, recording the user in its history."""
    relations = {name: data.pop(name) for name in M2M_FIELDS if name in data}
    for name, value in data.items():
        setattr(meeting, name, value)
    apply_model_validation(meeting)
    meeting._history_user = user
    meeting._change_reason = "API"
    meeting.save()
    for name, value in relations.items():
        getattr(meeting, name).set(value)
    return meeting


class DispatchWriteSerializer(serializers.Serializer):
    """A dispatch to the GFMD from one of the token user's processes, submitted for moderation at once."""

    sender_process = NulSafeSlugRelatedField(
        slug_field="slug",
        queryset=Process.objects.all(),
        help_text=_("Slug of the sending process: a process you serve."),
    )
    kind = serializers.ChoiceField(choices=Dispatch.Kind.choices)
    title = serializers.CharField(max_length=300)
    body = serializers.CharField(help_text=_("Markdown."))
    themes = NulSafeSlugRelatedField(many=True, slug_field="slug", queryset=Theme.objects.all(), required=False)
    meetings = serializers.PrimaryKeyRelatedField(many=True, queryset=Meeting.objects.public(), required=False)
    documents = serializers.PrimaryKeyRelatedField(many=True, queryset=Document.objects.public(), required=False)
    recommendations = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Recommendation.objects.public(), required=False
    )
    in_reply_to = serializers.PrimaryKeyRelatedField(
        queryset=Dispatch.objects.public(), required=False, allow_null=True, help_text=_("A published dispatch.")
    )
    submit = serializers.BooleanField(
        default=True, help_text=_("Submit to the GFMD at once (default), or keep as a draft in the back office.")
    )
    id = serializers.IntegerField(read_only=True)
    state = serializers.CharField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_fields(self):
        fields = super().get_fields()
        user = self.context["request"].user if "request" in self.context else None
        if user is not None:
            fields["sender_process"].queryset = Process.objects.public_or_managed_by(user)
        return fields

    def validate_sender_process(self, process):
        if not serves(self.context["request"].user, process):
            raise serializers.ValidationError(
                _("You can only send dispatches of processes you serve; not yours: %(slug)s.") % {"slug": process.slug}
            )
        return process

    def create(self, validated_data):
        try:
            return dispatch_create(
                user=self.context["request"].user,
                direction=Dispatch.Direction.TO_GFMD,
                **validated_data,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error


# Surveys: published results only (surveys.results decides what is public) -------------------------


class SurveyResponseRowSerializer(serializers.Serializer):
    process = ProcessLightSerializer(read_only=True)
    name_in_survey = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)


class SurveyChoiceCountSerializer(serializers.Serializer):
    answer = serializers.CharField()
    processes = serializers.IntegerField()
    percent = serializers.IntegerField()


class SurveyProcessAnswerSerializer(serializers.Serializer):
    process = serializers.SlugField(help_text=_("The answering process's slug (it agreed to publish its answers)."))
    answer = serializers.CharField()


class SurveyQuestionResultSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    text = serializers.CharField()
    kind = serializers.CharField()
    answering = serializers.IntegerField(help_text=_("Processes that answered and agreed to publish."))
    counts = SurveyChoiceCountSerializer(many=True)
    answers = SurveyProcessAnswerSerializer(many=True)


class SurveyListSerializer(serializers.ModelSerializer):
    url = PageUrlField()
    sent = serializers.IntegerField(source="count_sent", read_only=True)
    completed = serializers.IntegerField(source="count_completed", read_only=True)
    materials_only = serializers.IntegerField(source="count_materials_only", read_only=True)
    no_response = serializers.IntegerField(source="count_no_response", read_only=True)

    class Meta:
        model = Survey
        fields = [
            "id",
            "slug",
            "title",
            "year",
            "conducted_by",
            "purpose",
            "respondents",
            "opens_on",
            "closes_on",
            "results_published_at",
            "sent",
            "completed",
            "materials_only",
            "no_response",
            "url",
        ]


class SurveySerializer(SurveyListSerializer):
    """A published survey with its response table and its public questions' results."""

    responses = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()

    class Meta(SurveyListSerializer.Meta):
        fields = [*SurveyListSerializer.Meta.fields, "responses", "questions"]

    def _results(self, survey):
        if not hasattr(survey, "_public_results"):
            survey._public_results = survey_results(survey, public=True)
        return survey._public_results

    @extend_schema_field(SurveyResponseRowSerializer(many=True))
    def get_responses(self, survey):
        rows = [r for r in self._results(survey)["table"]["rows"] if r.process.is_public]
        return SurveyResponseRowSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(SurveyQuestionResultSerializer(many=True))
    def get_questions(self, survey):
        questions = []
        for number, result in enumerate(self._results(survey)["questions"], start=1):
            answers = []
            for process, display, _answer in result.listed:
                if isinstance(display, list):
                    display = "; ".join(name for name, _url in display)
                answers.append({"process": process.slug, "answer": str(display)})
            question = result.question
            rows = result.rows
            if question.kind in (question.Kind.SINGLE_CHOICE, question.Kind.MULTIPLE_CHOICE):
                # The stored original choice (as every API text is the original), not the page's label.
                rows = [(value, c, p) for value, (_label, c, p) in zip(question.choice_list, rows, strict=True)]
            questions.append(
                {
                    "number": number,
                    "text": question.text,
                    "kind": result.question.kind,
                    "answering": result.answering,
                    "counts": [{"answer": str(a), "processes": c, "percent": p} for a, c, p in rows],
                    "answers": answers,
                }
            )
        return questions


# Good practices (issue 16) ----------------------------------------------------------------


class GcmObjectiveSerializer(serializers.ModelSerializer):
    url = PageUrlField()

    class Meta:
        model = GcmObjective
        fields = ["number", "title", "source", "url"]


class GcmObjectiveLightSerializer(serializers.ModelSerializer):
    class Meta:
        model = GcmObjective
        fields = ["number", "title"]


class PracticeSerializer(serializers.ModelSerializer):
    """A published practice; the contact is empty unless the person consented to be shown."""

    process = ProcessLightSerializer(read_only=True)
    implementing_processes = ProcessLightSerializer(many=True, read_only=True)
    partners = serializers.StringRelatedField(many=True, read_only=True)
    countries = CountryLightSerializer(many=True, read_only=True)
    regions = RegionLightSerializer(many=True, read_only=True)
    themes = ThemeLightSerializer(many=True, read_only=True)
    gcm_objectives = GcmObjectiveLightSerializer(many=True, read_only=True)
    sdg_targets = NulSafeSlugRelatedField(many=True, read_only=True, slug_field="code")
    source_meetings = MeetingLightSerializer(many=True, read_only=True)
    call = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(source="dispatch.published_at", read_only=True)
    contact_name = serializers.SerializerMethodField()
    contact_email = serializers.SerializerMethodField()
    url = PageUrlField()

    class Meta:
        model = Practice
        fields = [
            "id",
            "title",
            "summary",
            "what_was_done",
            "results",
            "lessons_learned",
            "process",
            "implementing_processes",
            "partners",
            "partners_note",
            "is_global",
            "countries",
            "regions",
            "start_year",
            "end_year",
            "themes",
            "gcm_objectives",
            "sdg_targets",
            "source_meetings",
            "call",
            "published_at",
            "contact_name",
            "contact_email",
            "url",
        ]

    def get_call(self, obj) -> str | None:
        return obj.call.title if obj.call_id and obj.call.is_opened else None

    def get_contact_name(self, obj) -> str:
        return obj.contact_name if obj.contact_public else ""

    def get_contact_email(self, obj) -> str:
        return obj.contact_email if obj.contact_public else ""
