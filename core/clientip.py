"""The visitor's address, decided once for login lockouts (django-axes) and rate limits alike.

Behind N reverse proxies (`AXES_PROXY_COUNT`, 1 when `BEHIND_HTTPS_PROXY`), each proxy appends
the address it received the request from to X-Forwarded-For (nginx's
`$proxy_add_x_forwarded_for`); the visitor is therefore the Nth address from the right. Addresses
further left were sent by the visitor and are not trusted. Without a proxy it is REMOTE_ADDR.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
