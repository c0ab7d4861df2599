"""The second factor enforced: staff cannot reach the admin, nor anyone the members' area, without it.

Runs after django_otp's OTPMiddleware (which sets `request.user.is_verified()`). While a
participant has not given their second factor (when one is due), public pages show them only
what they show a visitor: the participants-only layer is withheld.
"""

from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from rcps import scoping

from . import mfa


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            step = mfa.missing_step(user)
            if step is not None:
                scoping.withhold_participation(user)
                path = request.path_info
                exempt = (
                    reverse("members:two_factor_setup"),
                    reverse("members:two_factor_verify"),
                    reverse("members:sign_out"),
                    reverse("admin:logout"),
                )
                if path.startswith("/api/"):
                    return HttpResponseForbidden("Two-factor sign-in required.", content_type="text/plain")
                protected = path.startswith(reverse("admin:index")) or path.startswith(reverse("members:home"))
                if protected and not path.startswith(exempt):
                    target = "members:two_factor_verify" if step == mfa.VERIFY else "members:two_factor_setup"
                    return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
