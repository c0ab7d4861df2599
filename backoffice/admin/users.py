"""Back office for users, roles and the processes secretariat users serve."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.mail import send_mail
from django.urls import path, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from backoffice.admin.base import (
    PortalHistoryAdmin,
    PortalTabularInline,
)
from backoffice.users import set_password_link
from exchange.models import NotificationPreference
from rcps.models import SecretariatAssignment

# Users, roles and the processes secretariat users serve ------------------------------------


class SecretariatAssignmentInline(PortalTabularInline):
    model = SecretariatAssignment
    fields = ("process", "created")
    readonly_fields = ("created",)
    autocomplete_fields = ("process",)
    verbose_name_plural = _("processes this user serves as secretariat")


@admin.register(SecretariatAssignment)
class SecretariatAssignmentAdmin(PortalHistoryAdmin):
    list_display = ("user", "process", "created")
    list_select_related = ("user", "process")
    list_filter = (("process", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("user__username", "user__email", "process__name", "process__acronym")
    autocomplete_fields = ("user", "process")


class SetPasswordView(PasswordResetConfirmView):
    """The one-time link's page: once the password is chosen, the user is told so and lands on their start page."""

    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("admin:index")
    post_reset_login = True
    post_reset_login_backend = "core.backends.PortalModelBackend"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Your password is set and you are logged in. This is your start page: what awaits you is below."),
        )
        return response


class PortalUserAdmin(UserAdmin):
    """The stock user admin, plus the processes a secretariat user serves and a set-password link."""

    inlines = (*UserAdmin.inlines, SecretariatAssignmentInline)
    actions = ("send_set_password_link",)

    def get_urls(self):
        # Reached from the link in the e-mail, before the user can log in.
        set_password = SetPasswordView.as_view()
        return [
            path("set-password/<uidb64>/<token>/", set_password, name="auth_user_set_password"),
            *super().get_urls(),
        ]

    @admin.action(description=_("E-mail a one-time set-password link to the selected users"))
    def send_set_password_link(self, request, queryset):
        for user in queryset.exclude(email=""):
            link = set_password_link(user, base_url=request.build_absolute_uri("/"))
            # In the user's own language when they chose one, else in the administrator's.
            chosen = NotificationPreference.objects.filter(user=user).values_list("language", flat=True).first()
            with translation.override(chosen or translation.get_language()):
                send_mail(
                    str(_("Your RCP Portal back-office account")),
                    _("Choose your password here (the link works once): %(link)s") % {"link": link},
                    None,
                    [user.email],
                )
            self.message_user(request, _("Set-password link sent to %(email)s.") % {"email": user.email})


admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)
