"""Request guards: query strings PostgreSQL cannot store, and session limits for the back office."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBadRequest, JsonResponse
from django.urls import reverse

LOGIN_TIME_KEY = "portal_login_time"


class StaffSessionLimitMiddleware:
    """Log staff out STAFF_SESSION_MAX_AGE seconds after they logged in, however active they have been.

    The idle timeout (SESSION_COOKIE_AGE, renewed on each request) alone would let a busy
    session live for ever.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            started = request.session.get(LOGIN_TIME_KEY)
            now = time.time()
            if started is None:
                request.session[LOGIN_TIME_KEY] = now
            elif now - started > settings.STAFF_SESSION_MAX_AGE:
                logout(request)
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return self.get_response(request)


class RejectNullCharactersMiddleware:
    """Answer 400 to a query string containing a NUL character.

    Filters look such values up in the database, and PostgreSQL refuses NUL in text even
    in a comparison, which would otherwise surface as a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            message = "Null characters are not allowed in the address."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)  # the API's documented error shape
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
