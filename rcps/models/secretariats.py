"""Back-office users serving processes: the link that decides what a secretariat may touch (see rcps.scoping)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .processes import Process


class SecretariatAssignment(models.Model):
    """A back-office user serving a process: they keep its records, and only its records, current."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="secretariat_assignments",
    )
    process = models.ForeignKey(
        Process, verbose_name=_("process"), on_delete=models.CASCADE, related_name="secretariat_assignments"
    )
    created = models.DateTimeField(_("assigned on"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["user__username", "process__name"]
        verbose_name = _("secretariat assignment")
        verbose_name_plural = _("secretariat assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "process"],
                name="secretariat_assignment_unique",
                violation_error_message=_("This user already serves this process."),
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.process.short_name}"
