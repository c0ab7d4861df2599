"""Who may do what with dispatches — the exchange's only access decisions.

Roles and the processes a user serves come from the portal's one scoping helper,
`rcps.access`; this module only adds what is particular to dispatches (moderation, and
which dispatches a secretariat sees in the back office).
"""

from django.db.models import Q

from rcps import access


def is_support_unit(user):
    """May moderate dispatches to the GFMD and publish dispatches from the GFMD."""
    return access.is_support_unit(user) or access.is_administrator(user)


def managed_process_ids(user):
    """Processes `user` acts for; None means every process."""
    if access.is_administrator(user):
        return None
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    # The Support Unit moderates but speaks for no RCP: only its secretariat assignments count.
    return frozenset(user.secretariat_assignments.values_list("process_id", flat=True))


def can_act_for(user, process):
    """May draft, submit, acknowledge and reply on behalf of `process`."""
    if process is None:
        return False
    ids = managed_process_ids(user)
    return ids is None or process.pk in ids


def visible_dispatches(queryset, user):
    """Back-office rows: moderators see all; a secretariat its own processes' dispatches and those addressed to them."""
    if is_support_unit(user):
        return queryset
    ids = managed_process_ids(user)
    if ids is None:
        return queryset
    from .models import Dispatch

    addressed = Dispatch.addressed_processes.through.objects.filter(process__in=ids).values("dispatch")
    return queryset.filter(
        Q(sender_process__in=ids)
        | Q(state=Dispatch.State.PUBLISHED, direction=Dispatch.Direction.FROM_GFMD)
        & (Q(addressed_to_all=True) | Q(pk__in=addressed))
    )


def can_edit(user, dispatch):
    """Secretariats edit their own drafts and returned dispatches; moderators edit any dispatch."""
    if is_support_unit(user):
        return True
    if dispatch.state not in (dispatch.State.DRAFT, dispatch.State.RETURNED):
        return False
    return dispatch.direction == dispatch.Direction.TO_GFMD and can_act_for(user, dispatch.sender_process)
