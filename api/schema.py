"""drf-spectacular extensions for the portal's FilterSets (registered by being imported)."""

from django.forms import CheckboxInput
from django_filters import filters
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter


class PortalFilterExtension(DjangoFilterExtension):
    """Type the directory filters that pick a record through a method (e.g. `?process=<slug>`).

    Such a filter has no model field to read its type from; its value is the `to_field_name`
    (a slug or an ISO code, so a string), or the primary key (an integer) without one.
    """

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        if isinstance(filter_field, filters.ModelChoiceFilter) and filter_field.method:
            to_field = filter_field.extra.get("to_field_name")
            return [
                build_parameter_type(
                    name=field_name,
                    required=filter_field.extra["required"],
                    location=OpenApiParameter.QUERY,
                    description=self._get_field_description(filter_field, None),
                    schema=build_basic_type(OpenApiTypes.STR if to_field else OpenApiTypes.INT),
                )
            ]
        widget = filter_field.extra.get("widget")
        if isinstance(filter_field, filters.BooleanFilter) and (
            isinstance(widget, CheckboxInput) or (isinstance(widget, type) and issubclass(widget, CheckboxInput))
        ):
            # A checkbox of the page's form: any value but "false" or "0" ticks it.
            return [
                build_parameter_type(
                    name=field_name,
                    required=False,
                    location=OpenApiParameter.QUERY,
                    description=f'{self._get_field_description(filter_field, None)} ("true" ticks it, "false" not)',
                    schema=build_basic_type(OpenApiTypes.STR),
                )
            ]
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        if isinstance(filter_field, filters.NumberFilter):
            # django-filter's NumberFilter takes any decimal (`?established_from=2003.5`), not only integers.
            for parameter in parameters:
                parameter["schema"] = build_basic_type(OpenApiTypes.NUMBER)
        return parameters


def allow_empty_query_values(result, generator, request, public):
    """Postprocessing hook: an empty query value (`?kind=`) means "any", as in the pages' filter forms."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    parameter["allowEmptyValue"] = True
    return result
