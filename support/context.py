"""What the navigation needs to know about support opportunities: whether to show them.

``support_proposes_from`` tells the case page (which cannot import this app) whether to offer its
link to the catalogue: ``{% if case in support_proposes_from %}`` holds for those who may propose
the case's student (its socio-economic worker or a coordinator). Without this app the name is
absent and the link with it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from casework.models import Case, User
from support import policies


class ProposesFrom:
    """The cases the user may propose a student from, asked one case at a time."""

    def __init__(self, user: User) -> None:
        self.user = user

    def __contains__(self, case: object) -> bool:
        return isinstance(case, Case) and policies.can_propose_from_case(self.user, case)


def nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "support_nav": SimpleLazyObject(lambda: policies.can_read_catalogue(user)),
        "support_proposes_from": ProposesFrom(user),
    }
