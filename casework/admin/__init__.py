"""Admin for the school's IT person and the office coordinators.

Coordinators get staff access to the admin; what they see is cut to need to know by the same
selectors the API uses. Superusers (IT) see everything. The audit trail is read-only for all.
"""

from casework.admin import base, cases, library, monitoring, people

__all__ = ["base", "cases", "library", "monitoring", "people"]
