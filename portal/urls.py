"""Root URLs of the RCP Portal."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

import meetings.urls
import rcps.urls

from . import profiles, views
from .sitemaps import SITEMAPS

# The processes' directory and the profiles that gather every app, under one namespace (see rcps.urls).
rcps_pages = [
    *rcps.urls.urlpatterns,
    path("processes/<slug:slug>/", profiles.ProcessDetailView.as_view(), name="process_detail"),
    path("countries/<str:code>/", profiles.CountryDetailView.as_view(), name="country_detail"),
]

# A document's page shows the records of every app that cite it: portal.profiles serves it as
# meetings:document_detail, ahead of the meetings app's own pages.
meetings_pages = [
    path("documents/<int:pk>/", profiles.DocumentProfileView.as_view(), name="document_detail"),
    *meetings.urls.urlpatterns,
]

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("", include((rcps_pages, rcps.urls.app_name))),
    path("", include("recommendations.urls")),
    path("", include((meetings_pages, meetings.urls.app_name))),
    path("", include("exchange.urls")),
    path("members/", include("members.urls")),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
]
