"""Root URLs of the RCP Portal."""

from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "RCP Portal — back office"
admin.site.site_title = "RCP Portal back office"
admin.site.index_title = "Processes, meetings and documents"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("", include("rcps.urls")),
    path("", include("meetings.urls")),
    path("admin/", admin.site.urls),
]
