"""Public pages about processes, countries and recommendations."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from meetings.models import Document, Meeting

from .models import Chairmanship, Country, FocalPoint, FollowUp, Participation, Process, Recommendation


class ProcessListView(ListView):
    template_name = "rcps/process_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Process.objects.public().with_related()


class ProcessDetailView(DetailView):
    template_name = "rcps/process_detail.html"

    def get_queryset(self):
        return Process.objects.public().with_related()

    def get_context_data(self, **kwargs):
        process = self.object
        participations = Participation.objects.filter(process=process).with_related()
        return super().get_context_data(
            participations=participations,
            chairmanships=Chairmanship.objects.filter(process=process).select_related("country"),
            meetings=Meeting.objects.public().filter(organizing_processes=process).with_related(),
            documents=Document.objects.public().filter(process=process).with_related(),
            recommendations=Recommendation.objects.public().filter(issuing_process=process),
            focal_points=FocalPoint.objects.public().filter(process=process).with_related(),
            **kwargs,
        )


class RecommendationDetailView(DetailView):
    template_name = "rcps/recommendation_detail.html"

    def get_queryset(self):
        return Recommendation.objects.public().with_related().prefetch_related(
            Prefetch("follow_ups", queryset=FollowUp.objects.public().with_related(), to_attr="public_follow_ups")
        )


class CountryDetailView(DetailView):
    template_name = "rcps/country_detail.html"

    def get_object(self, queryset=None):
        return get_object_or_404(Country.objects.select_related("region"), code=self.kwargs["code"].upper())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            participations=Participation.objects.public().filter(country=self.object).with_related(),
            meetings_hosted=Meeting.objects.public().filter(country=self.object).with_related(),
            **kwargs,
        )
