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

from casework.web import accounts, library
from casework.web import views as students
from counselling import web as activities
from counselling.reports import web as reports
from plans import web as outcomes
from plans import web_plans
from support import web as opportunities
from support import web_partners as opportunity_partners
from workflows.web import (
    case_sections,
    cases,
    home,
    meetings,
    notifications,
    office,
    referrals,
    tasks,
)
from workflows.web import library as workflow_library


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
                path("<int:pk>/assessments/<str:area>/", case_sections.assess, name="assess"),
                path(
                    "<int:pk>/objectives/<int:objective_pk>/",
                    case_sections.objective_edit,
                    name="objective_edit",
                ),
                path(
                    "<int:pk>/objectives/<int:objective_pk>/remove/",
                    case_sections.objective_remove,
                    name="objective_remove",
                ),
                path(
                    "<int:pk>/objectives/<int:objective_pk>/reviews/",
                    case_sections.objective_review,
                    name="objective_review",
                ),
                path("<int:pk>/consents/", case_sections.consent, name="consent"),
                path(
                    "<int:pk>/consents/<int:consent_pk>/withdraw/",
                    case_sections.consent_withdraw,
                    name="consent_withdraw",
                ),
                path("<int:pk>/referrals/", case_sections.refer, name="refer"),
            ],
        ),
        _app(
            _("Students"),
            "students",
            "school",
            [
                path("", students.search, name="search"),
                path("watchlist/", students.watchlist, name="watchlist"),
                path("<int:pk>/", students.detail, name="detail"),
                path("<int:pk>/signals/", students.record_signal, name="signal"),
                path("<int:pk>/instrument-link/", students.instrument_link, name="instrument_link"),
                path(
                    "<int:pk>/instrument-links/<int:link_pk>/revoke/",
                    students.instrument_link_revoke_view,
                    name="instrument_link_revoke",
                ),
            ],
        ),
        _app(
            _("Case library"),
            "library",
            "local_library",
            [
                path("", library.search, name="search"),
                path("drafts/", library.drafts, name="drafts"),
                path("draft/<int:case_pk>/", case_sections.library_draft, name="draft"),
                path("<int:pk>/", library.entry, name="entry"),
                path("<int:pk>/edit/", library.edit, name="edit"),
                path("<int:pk>/publish/", workflow_library.publish, name="publish"),
                path("<int:pk>/revise/", library.revise, name="revise"),
                path("<int:pk>/withdraw/", library.withdraw, name="withdraw"),
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
            _("Referrals"),
            "referrals",
            "send",
            [
                path("", referrals.referral_list, name="list"),
                path("<int:pk>/<str:name>/", case_sections.referral_move, name="move"),
            ],
        ),
        _app(
            _("Meetings"),
            "meetings",
            "event",
            [
                path("", meetings.meeting_list, name="list"),
                path("schedule/", meetings.schedule, name="schedule"),
                path("calendar/rotate/", meetings.calendar_rotate, name="calendar_rotate"),
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
            _("Counselling activities"),
            "activities",
            "record_voice_over",
            [
                path("", activities.activity_list, name="list"),
                path("new/", activities.activity_new, name="new"),
                path("<int:pk>/", activities.activity_detail, name="detail"),
                path("<int:pk>/import/", activities.attendance_import, name="import"),
                path("<int:pk>/attendance.pdf", activities.attendance_sheet, name="sheet"),
                path("info-pack/", activities.info_pack, name="info_pack"),
                path(
                    "info-pack/hand-out/", activities.info_pack_hand_out_view, name="info_hand_out"
                ),
            ],
        ),
        _app(
            _("Outcomes"),
            "outcomes",
            "insights",
            [
                path("", outcomes.outcomes_page, name="page"),
                path("outcomes.xlsx", outcomes.outcomes_export, name="export"),
            ],
        ),
        _app(
            _("Action plans"),
            "plans",
            "checklist",
            [
                path("", web_plans.plan_list, name="list"),
                path("<int:pk>/", web_plans.plan_detail, name="detail"),
                path("<int:pk>/objectives/", web_plans.objective_new, name="objective"),
                path("objectives/<int:pk>/actions/", web_plans.action_new, name="action"),
                path("actions/<int:pk>/indicators/", web_plans.indicator_new, name="indicator"),
                path("indicators/<int:pk>/values/", web_plans.value_new, name="value"),
            ],
        ),
        _app(
            _("Counselling reports"),
            "reports",
            "summarize",
            [
                path("", reports.report_list, name="list"),
                path("new/", reports.report_new, name="new"),
                path("<int:pk>/", reports.report_detail, name="detail"),
                path("<int:pk>/file.<str:fmt>", reports.report_file, name="file"),
                path("<int:pk>/<str:action>/", reports.report_step, name="step"),
            ],
        ),
        _app(
            _("Opportunities"),
            "opportunities",
            "work",
            [
                path("", opportunities.catalogue, name="list"),
                path("new/", opportunities.opportunity_new, name="new"),
                path("partners/", opportunity_partners.partner_list, name="partners"),
                path("partners/<int:pk>/", opportunity_partners.partner_detail, name="partner"),
                path(
                    "partners/<int:pk>/agreements/",
                    opportunity_partners.agreement_new,
                    name="agreement_new",
                ),
                path(
                    "partners/<int:pk>/contacts/",
                    opportunity_partners.contact_new,
                    name="contact_new",
                ),
                path("<int:pk>/", opportunities.opportunity_detail, name="detail"),
                path(
                    "<int:pk>/participants.<str:fmt>",
                    opportunities.participants_file,
                    name="participants_file",
                ),
                path("<int:pk>/propose/", opportunities.propose, name="propose"),
                path("objectives/<int:pk>/evidence/", opportunities.evidence, name="evidence"),
                path(
                    "participations/<int:pk>/consent/",
                    opportunities.consent,
                    name="consent",
                ),
                path(
                    "participations/<int:pk>/<str:name>/",
                    opportunities.move,
                    name="move",
                ),
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
        _app(
            _("My account"),
            "account",
            "manage_accounts",
            [
                path("tokens/", accounts.token_list, name="tokens"),
                path("tokens/<int:pk>/revoke/", accounts.token_revoke, name="token_revoke"),
                path("two-factor/", accounts.two_factor, name="two_factor"),
                path("password/", accounts.PasswordChangeView.as_view(), name="password"),
            ],
        ),
    ],
)
