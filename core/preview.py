"""Previews: a record's public page, rendered with its own template, for the back-office users who may see it.

A public detail page shows what `.public()` lets through, to everyone. A logged-in back-office
user who may see the record in the back office (its model's `visible_to(user)`) also gets the
page of a record that is not public yet — a draft, a dispatch under moderation, a confidential
record — marked as a preview, never cached, never indexed. Anyone else gets the same 404 as
before: a preview reveals nothing a user could not already read in the back office.

The preview is also where a workflow step is confirmed: with `?confirm=<step>` the banner asks
for the step (publish, submit, return with a reason…) that the view offers this user
(`get_preview_actions`), and posts it to the back office, which takes it.
"""

from urllib.parse import parse_qsl, urlencode

from django.http import Http404


class PreviewableDetailMixin:
    """A DetailView whose `detail_queryset(records)` adds the page's joins to public or, in a preview, visible rows."""

    preview = False
    # True where a verified participant also reads their processes' participants-only records here
    # (rcps.scoping: `public_or_readable_by`); such a page is then marked private and never stored.
    participants_layer = False

    def detail_queryset(self, records):
        return records

    def get_queryset(self):
        manager = self.model._default_manager
        if self.participants_layer:
            return self.detail_queryset(manager.public_or_readable_by(self.request.user))
        return self.detail_queryset(manager.public())

    def preview_queryset(self):
        """The rows this user may see in the back office, or None for someone who previews nothing."""
        user = self.request.user
        manager = self.model._default_manager
        if not (user.is_authenticated and user.is_active and user.is_staff) or not hasattr(manager, "visible_to"):
            return None
        return self.detail_queryset(manager.visible_to(user))

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            if queryset is not None:
                raise
            previewable = self.preview_queryset()
            if previewable is None:
                raise
            obj = super().get_object(previewable)  # 404 again when the user may not see it either
            self.preview = True
            return obj

    def get_preview_actions(self, obj):
        """[{"step", "label", "url", "reason": bool, "processes": […]}]: the steps this user may confirm here."""
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        actions = self.get_preview_actions(self.object) if user.is_authenticated and user.is_staff else []
        confirm = self.request.GET.get("confirm", "")
        context.update(
            preview=self.preview,
            preview_actions=actions,
            preview_confirm=next((a for a in actions if a["step"] == confirm), None),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        participants_only = getattr(self.object, "visibility", "") == "participants" and not self.preview
        if self.preview or context.get("preview_actions") or participants_only:
            response["Cache-Control"] = "private, no-store"
        if self.preview or participants_only:
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


def preview_action(*, step, label, question, post_url, page_url, cancel_url, reason=False, processes=(), direct=False):
    """One step offered on a record's page: confirmed in the banner (`?confirm=<step>`), or a link (`direct`)."""
    return {
        "step": step,
        "label": label,
        "question": question,
        "url": post_url,
        "confirm_url": post_url if direct else confirm_url(page_url, step),
        "cancel_url": cancel_url,
        "reason": reason,
        "processes": list(processes),
    }


def confirm_url(url, step):
    """`url` (a record's page, perhaps with a query and an anchor) asking to confirm `step` in its banner."""
    address, _hash, _fragment = url.partition("#")
    path, _mark, query = address.partition("?")
    params = [(key, value) for key, value in parse_qsl(query) if key != "confirm"]
    return f"{path}?{urlencode([*params, ('confirm', step)])}#preview-banner-title"
