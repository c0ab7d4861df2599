from django.urls import path

from . import calendars, views

app_name = "meetings"
urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/calendar.ics", calendars.all_calendar, name="meeting_calendar"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/calendar.ics", calendars.meeting_calendar, name="meeting_event"),
    path("processes/<slug:slug>/calendar.ics", calendars.process_calendar, name="process_calendar"),
    path("countries/<str:code>/calendar.ics", calendars.country_calendar, name="country_calendar"),
    path("documents/", views.DocumentListView.as_view(), name="document_list"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
]
