"""The changelist's filter sidebar, rendered once per user, language, address and data version."""

from django import template
from django.contrib.admin.templatetags.admin_list import admin_list_filter
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.pagecache import cached_value

register = template.Library()


@register.simple_tag(takes_context=True)
def cached_list_filters(context, cl):
    """What `{% admin_list_filter cl spec %}` renders for every filter, kept until the next write.

    Each option is a link carrying the page's other parameters: hundreds of links for a filter
    on processes or countries, rendered again on every page view. Their options, counts and
    selection follow from the user's rows, the language and the address, which the key holds.
    """
    request = context["request"]
    name = f"admin-filters:{cl.model._meta.label}:{request.user.pk}:{get_language()}:{request.get_full_path()}"
    html = cached_value(name, lambda: "".join(admin_list_filter(cl, spec) for spec in cl.filter_specs))
    return mark_safe(html)  # the admin's own filter templates rendered and escaped it
