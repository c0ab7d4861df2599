"""The sitemap: directory pages and every public record's page, nothing else, in each language.

Each page is listed once per language (/…, /fr/…, /es/…) with its alternates and an x-default
(the English address), as Google asks for pages with language versions.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from meetings.models import Document, Meeting
from practices.models import CallForPractices, Practice
from rcps.models import Process, countries_taking_part
from recommendations.models import Recommendation
from reference.models import GcmObjective
from surveys.models import Survey


class PortalSitemap(Sitemap):
    """Every page in English, French and Spanish, each naming the others (hreflang)."""

    i18n = True
    alternates = True
    x_default = True


class DirectorySitemap(PortalSitemap):
    priority = 0.8
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "rcps:process_list",
            "meetings:meeting_list",
            "meetings:document_list",
            "recommendations:recommendation_list",
            "rcps:focalpoint_list",
            "rcps:country_list",
            "rcps:overlap",
            "surveys:survey_list",
            "practices:practice_list",
            "practices:call_list",
            "practices:gcm_objective_list",
        ]

    def location(self, item):
        return reverse(item)


class ProcessSitemap(PortalSitemap):
    priority = 0.7
    changefreq = "monthly"

    def items(self):
        return Process.objects.public().only("slug").order_by("slug")


class MeetingSitemap(PortalSitemap):
    changefreq = "monthly"

    def items(self):
        return Meeting.objects.public().only("pk").order_by("pk")


class DocumentSitemap(PortalSitemap):
    changefreq = "yearly"

    def items(self):
        return Document.objects.public().only("pk").order_by("pk")


class RecommendationSitemap(PortalSitemap):
    changefreq = "monthly"

    def items(self):
        return Recommendation.objects.public().only("pk").order_by("pk")


class CountrySitemap(PortalSitemap):
    changefreq = "monthly"

    def items(self):
        # Only States taking part in a public process: the others' pages say nothing yet.
        return countries_taking_part().only("code").order_by("code")


class SurveySitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        # Surveys whose results are published; the others have no public page.
        return Survey.objects.public().only("slug").order_by("slug")


class PracticeSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Practice.objects.public().only("pk").order_by("pk")


class CallSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return CallForPractices.objects.public().only("pk").order_by("pk")


class GcmObjectiveSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return GcmObjective.objects.only("number").order_by("number")


SITEMAPS = {
    "directories": DirectorySitemap,
    "processes": ProcessSitemap,
    "meetings": MeetingSitemap,
    "documents": DocumentSitemap,
    "recommendations": RecommendationSitemap,
    "countries": CountrySitemap,
    "surveys": SurveySitemap,
    "practices": PracticeSitemap,
    "calls-for-practices": CallSitemap,
    "gcm-objectives": GcmObjectiveSitemap,
}
