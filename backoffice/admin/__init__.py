"""The back office: every app's records in Django's admin, one module per domain, on shared base classes.

Importing the modules registers their ModelAdmins (admin.autodiscover imports this package).
"""

from . import (  # noqa: F401
    exchange,
    meetings,
    members,
    practices,
    processes,
    recommendations,
    reference,
    surveys,
    users,
)
