"""Request guards: query strings PostgreSQL cannot store, and session lifetimes."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBadRequest, JsonResponse
from django.urls import reverse

LOGIN_TIME_KEY = "portal_login_time"
RENEWED_KEY = "portal_renewed"


class SessionRenewalMiddleware:
    """Renew a signed-in session's idle timeout at most once every SESSION_RENEW_INTERVAL seconds.

    Django's SESSION_SAVE_EVERY_REQUEST writes the session row (and, on PostgreSQL, commits) on
    every page a signed-in user opens, only to push its expiry forward. Marking the session
    modified once a minute does the same: the session and its cookie then expire between
    SESSION_COOKIE_AGE - SESSION_RENEW_INTERVAL and SESSION_COOKIE_AGE seconds after the last
    request, and a busy secretariat costs one write a minute instead of one a page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        # An address without a session cookie makes no session; a stale cookie loads as empty.
        if not session.is_empty():
            now = int(time.time())
            renewed = session.get(RENEWED_KEY, 0)  # loads it: a stale cookie's session is empty from here on
            if not session.is_empty() and now - renewed >= settings.SESSION_RENEW_INTERVAL:
                session[RENEWED_KEY] = now  # modified: SessionMiddleware saves it with a fresh expiry
        return self.get_response(request)


class StaffSessionLimitMiddleware:
    """Log staff out STAFF_SESSION_MAX_AGE seconds after they logged in, however active they have been.

    The idle timeout (SESSION_COOKIE_AGE, renewed by SessionRenewalMiddleware) alone would let a busy
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
