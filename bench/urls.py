"""The portal's URLs plus a bare view: the ceiling a Django page cannot beat on this machine."""

from django.http import HttpResponse
from django.urls import include, path

BARE_BODY = ("<p>" + "x" * 96 + "</p>\n") * 192  # about 20 KB, like a real page


def bare_view(request):
    return HttpResponse(BARE_BODY)


urlpatterns = [
    path("__bench__/bare/", bare_view),
    path("", include("portal.urls")),
]
