"""The web front: one viewflow Site with an application per area.

viewflow's Material frontend gives the page shell (navigation drawer, top bar, styles, Turbo
navigation); the pages are ours. viewflow's own flow views are not mounted: every change
goes through our services (see ``workflows.flows.GroupTask``).
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, Site

from casework.web import views as students
from workflows.web import cases, home, meetings, notifications, office, tasks


class OfficeSite(Site):
    menu_template_name = "web/menu.html"

    @property
    def index_path(self) -> Any:
        return path("", home.home, name="index")


def _app(title: Any, app_name: str, icon: str, urlpatterns: list[Any], **extra: Any) -> Application:
    return Application(
        title=title,
        app_name=app_name,
        icon=icon,
        menu_template_name=None,
        urlpatterns=urlpatterns,
        **extra,
    )


site = OfficeSite(
    title=_("Action Office"),
    viewsets=[
        _app(
            _("Tasks"),
            "tasks",
            "assignment",
            [
                path("queue/", tasks.queue, name="queue"),
                path("inbox/", tasks.inbox, name="inbox"),
                path("archive/", tasks.archive, name="archive"),
                path("<int:pk>/", tasks.task_page, name="detail"),
                path("<int:pk>/row/", tasks.row, name="row"),
                path("<int:pk>/claim/", tasks.claim, name="claim"),
                path("<int:pk>/release/", tasks.release, name="release"),
                path("<int:pk>/execute/", tasks.execute, name="execute"),
            ],
        ),
        _app(
            _("Cases"),
            "cases",
            "folder_shared",
            [
                path("", cases.case_list, name="list"),
                path("flagged/", cases.flagged, name="flagged"),
                path("flag/<int:student_pk>/", cases.flag, name="flag"),
                path("<int:pk>/", cases.detail, name="detail"),
                path("<int:pk>/transitions/<str:name>/", cases.transition, name="transition"),
                path("<int:pk>/objectives/", cases.add_objective, name="objective"),
                path("<int:pk>/closing-review/", cases.closing_review, name="closing_review"),
            ],
        ),
        _app(
            _("Students"),
            "students",
            "school",
            [
                path("", students.search, name="search"),
                path("<int:pk>/", students.detail, name="detail"),
            ],
        ),
        _app(
            _("Office"),
            "office",
            "dashboard",
            [path("", office.dashboard, name="dashboard")],
            permission=office.is_coordinator,
        ),
        _app(
            _("Meetings"),
            "meetings",
            "groups",
            [
                path("", meetings.meeting_list, name="list"),
                path("schedule/", meetings.schedule, name="schedule"),
                path("<int:pk>/", meetings.detail, name="detail"),
                path("<int:pk>/attendance/", meetings.attendance, name="attendance"),
                path("<int:pk>/notes/", meetings.notes, name="notes"),
                path("<int:pk>/agenda/", meetings.agenda_add, name="agenda_add"),
                path("<int:pk>/items/<int:item_pk>/move/", meetings.item_move, name="item_move"),
                path(
                    "<int:pk>/items/<int:item_pk>/remove/", meetings.item_remove, name="item_remove"
                ),
                path("<int:pk>/items/<int:item_pk>/decide/", meetings.decide, name="decide"),
                path("<int:pk>/close/", meetings.close, name="close"),
                path("<int:pk>/cancel/", meetings.cancel, name="cancel"),
            ],
        ),
        _app(
            _("Notifications"),
            "notifications",
            "notifications",
            [
                path("", notifications.notification_list, name="list"),
                path("read-all/", notifications.read_all, name="read_all"),
            ],
        ),
    ],
)
