"""Root URLs of the RCP Portal."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from . import views
from .sitemaps import SITEMAPS

admin.site.site_header = "RCP Portal — back office"
admin.site.site_title = "RCP Portal back office"
admin.site.index_title = "Processes, meetings and documents"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("", include("rcps.urls")),
    path("", include("meetings.urls")),
    path("", include("portal.exchange.urls")),
    path("api/v1/", include("portal.api.urls")),
    path("admin/", admin.site.urls),
]
