"""The profile pages of a process and of a country: they gather every app's records about it."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from exchange.feeds import feed_links
from exchange.models import Dispatch
from meetings.models import Document, Meeting
from rcps.models import Chairmanship, FocalPoint, Participation, Process
from recommendations.models import Recommendation
from reference.models import Country


class ProcessDetailView(DetailView):
    template_name = "rcps/process_detail.html"

    def get_queryset(self):
        return Process.objects.public().with_related()

    def get_context_data(self, **kwargs):
        process = self.object
        recommendations = Recommendation.objects.public().with_public_related(follow_ups_of=process)
        return super().get_context_data(
            participations=Participation.objects.filter(process=process)
            .with_related()
            .order_by("role", "country__name", "organization__name", "since_year"),
            chairmanships=Chairmanship.objects.filter(process=process).select_related("country"),
            meetings=Meeting.objects.public().top_level().organized_by(process).with_public_related(),
            documents=Document.objects.public().filter(process=process).with_related(),
            issued_recommendations=recommendations.filter(issuing_process=process),
            addressed_recommendations=recommendations.filter(addressed_processes=process),
            focal_points=FocalPoint.objects.public().filter(process=process).with_related(),
            related_processes=Process.objects.public().sharing_with(process)[:12],
            dispatches=Dispatch.objects.public().concerning([process]).with_public_related().newest_first()[:10],
            feed_links=feed_links(process=process),
            **kwargs,
        )


class CountryDetailView(DetailView):
    template_name = "rcps/country_detail.html"
    context_object_name = "country"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Country.objects.select_related("region__parent__parent"), code=self.kwargs["code"].upper()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            participations=Participation.objects.public()
            .filter(country=self.object)
            .with_related()
            .order_by("process__name", "role", "since_year"),
            meetings_hosted=Meeting.objects.public().filter(country=self.object).with_public_related(),
            focal_point_count=FocalPoint.objects.public().filter(country=self.object).count(),
            **kwargs,
        )
