"""The portal's URLs plus a bare view: the ceiling a Django page cannot beat on this machine."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

BARE_BODY = ("<p>" + "x" * 96 + "</p>\n") * 192  # about 20 KB, like a real page


def bare_view(request):
    return HttpResponse(BARE_BODY)


# The portal's patterns are appended, not include()d: i18n_patterns may only sit in the root URLconf.
urlpatterns = [path("__bench__/bare/", bare_view), *portal_urlpatterns]
