"""The admin's navigation sidebar, rendered once per set of permissions, language and section."""

import hashlib

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.pagecache import page_cache

register = template.Library()

SIDEBAR_TIMEOUT = 60 * 60


def sidebar_key(request):
    """What the sidebar shows follows from these alone: no record, so no write, changes it.

    The models listed follow from the user's permissions (a superuser sees every model); the
    highlighted application and model from the first two parts of the address below /admin/
    (a change page highlights what its list does).
    """
    user = request.user
    permissions = "superuser" if user.is_superuser else ",".join(sorted(user.get_all_permissions()))
    section = "/".join(request.path.split("/")[:4])
    name = f"{user.is_active}:{user.is_staff}:{get_language()}:{section}:{permissions}"
    return f"portal:admin-sidebar:{hashlib.sha256(name.encode()).hexdigest()}"


@register.simple_tag(takes_context=True)
def cached_nav_sidebar(context):
    """Django's `admin/nav_sidebar.html`, from the cache when a user with the same permissions saw it.

    It lists every model the user may see (about 50 for a superuser), each with two links:
    rendering it (and building the app list behind it, `PortalAdminSite.get_app_list`) cost a
    changelist a fifth of its work, on every page of the back office.
    """
    sidebar = context.template.engine.get_template("admin/nav_sidebar.html")
    if not getattr(settings, "CHOICE_CACHE_ENABLED", True):
        return sidebar.render(context)
    cache = page_cache()
    key = sidebar_key(context["request"])
    html = cache.get(key)
    if html is None:
        html = sidebar.render(context)
        cache.set(key, str(html), SIDEBAR_TIMEOUT)
    return mark_safe(html)  # Django's template rendered and escaped it
