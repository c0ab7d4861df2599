from django.urls import path

from . import views

# The profiles (processes/<slug>/, countries/<code>/) gather every app: portal.profiles serves them
# and portal.urls adds them to this namespace, so that they are still rcps:process_detail and
# rcps:country_detail.
app_name = "rcps"
urlpatterns = [
    path("processes/", views.ProcessListView.as_view(), name="process_list"),
    path("focal-points/", views.FocalPointListView.as_view(), name="focalpoint_list"),
    path("countries/", views.CountryListView.as_view(), name="country_list"),
    path("overlap/", views.OverlapView.as_view(), name="overlap"),
    path("overlap/<slug:slug_a>/<slug:slug_b>/", views.OverlapPairView.as_view(), name="overlap_pair"),
]
