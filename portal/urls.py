"""Root URLs of the RCP Portal."""

from django.conf.urls.i18n import i18n_patterns
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

# The back office, the API, the sitemap (one, listing every language's address) and the language
# switch have no language prefix: the admin and the API speak the remembered language.
urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("language/<str:code>/", views.switch_language, name="switch_language"),
    path("members/", include("members.urls")),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
]

# Public pages, feeds and calendars: English unprefixed, /fr/… and /es/… (the same paths).
urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("", include((rcps_pages, rcps.urls.app_name))),
    path("", include("recommendations.urls")),
    path("", include((meetings_pages, meetings.urls.app_name))),
    path("", include("exchange.urls")),
    path("", include("surveys.urls")),
    path("", include("practices.urls")),
    prefix_default_language=False,
)
