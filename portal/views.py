"""The home page."""

from django.views.generic import TemplateView

from meetings.models import Meeting
from rcps.models import Country, Process, Recommendation


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        meetings = Meeting.objects.public().top_level().with_related()
        return super().get_context_data(
            upcoming_meetings=meetings.upcoming()[:5],
            recent_meetings=meetings.past()[:6],
            featured_processes=Process.objects.public().rcps().with_related()[:12],
            figures={
                "processes": Process.objects.public().count(),
                "meetings": Meeting.objects.public().count(),
                "recommendations": Recommendation.objects.public().count(),
                "countries": Country.objects.filter(participations__process__visibility="public")
                .distinct()
                .count(),
            },
            **kwargs,
        )
