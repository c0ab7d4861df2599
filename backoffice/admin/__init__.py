"""The back office: every app's records in Django's admin, one module per domain, on shared base classes.

Importing the modules registers their ModelAdmins (admin.autodiscover imports this package).
"""

from . import exchange, meetings, members, processes, recommendations, reference, surveys, users  # noqa: F401
