from django.urls import path

from workflows.api import library, meetings, referrals, tasks, views

urlpatterns = [
    path(
        "library/<int:pk>/publish/",
        library.LibraryPublishView.as_view(),
        name="api-library-publish",
    ),
    path("cases/", views.CaseListView.as_view(), name="api-cases"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="api-case"),
    path(
        "cases/<int:pk>/transitions/<str:name>/",
        views.CaseTransitionView.as_view(),
        name="api-case-transition",
    ),
    path(
        "cases/<int:pk>/library-entry/",
        views.CaseLibraryEntryView.as_view(),
        name="api-case-library-entry",
    ),
    path(
        "cases/<int:pk>/objectives/", views.ObjectiveListView.as_view(), name="api-case-objectives"
    ),
    path("objectives/<int:pk>/", views.ObjectiveDetailView.as_view(), name="api-objective"),
    path(
        "objectives/<int:pk>/reviews/",
        views.ObjectiveReviewListView.as_view(),
        name="api-objective-reviews",
    ),
    path(
        "cases/<int:pk>/referrals/",
        referrals.CaseReferralListView.as_view(),
        name="api-case-referrals",
    ),
    path("referrals/", referrals.ReferralListView.as_view(), name="api-referrals"),
    path("referrals/<int:pk>/", referrals.ReferralDetailView.as_view(), name="api-referral"),
    path(
        "referrals/<int:pk>/<str:name>/",
        referrals.ReferralMoveView.as_view(),
        name="api-referral-move",
    ),
    path(
        "consents/<int:pk>/withdraw/",
        referrals.ConsentWithdrawView.as_view(),
        name="api-consent-withdraw",
    ),
    path(
        "cases/<int:case_pk>/consents/<int:pk>/withdraw/",
        referrals.ConsentWithdrawView.as_view(),
        name="api-case-consent-withdraw",
    ),
    path("meetings/", meetings.MeetingListView.as_view(), name="api-meetings"),
    path("meetings/<int:pk>/", meetings.MeetingDetailView.as_view(), name="api-meeting"),
    path(
        "meetings/<int:pk>/cancel/", meetings.MeetingCancelView.as_view(), name="api-meeting-cancel"
    ),
    path("meetings/<int:pk>/agenda/", meetings.AgendaView.as_view(), name="api-meeting-agenda"),
    path(
        "meetings/<int:pk>/agenda/items/<int:item_pk>/",
        meetings.AgendaItemView.as_view(),
        name="api-meeting-agenda-item",
    ),
    path(
        "meetings/<int:pk>/attendance/",
        meetings.AttendanceView.as_view(),
        name="api-meeting-attendance",
    ),
    path(
        "meetings/<int:pk>/decisions/",
        meetings.DecisionView.as_view(),
        name="api-meeting-decisions",
    ),
    path("meetings/<int:pk>/close/", meetings.MinutesCloseView.as_view(), name="api-meeting-close"),
    path(
        "meetings/<int:pk>/minutes.pdf", meetings.MinutesPdfView.as_view(), name="api-meeting-pdf"
    ),
    path("calendar/", meetings.CalendarView.as_view(), name="api-calendar"),
    path("calendar/rotate/", meetings.CalendarRotateView.as_view(), name="api-calendar-rotate"),
    path("tasks/", tasks.TaskListView.as_view(), name="api-tasks"),
    path("tasks/<int:pk>/", tasks.TaskDetailView.as_view(), name="api-task"),
    path("tasks/<int:pk>/claim/", tasks.TaskClaimView.as_view(), name="api-task-claim"),
    path("tasks/<int:pk>/release/", tasks.TaskReleaseView.as_view(), name="api-task-release"),
    path("tasks/<int:pk>/complete/", tasks.TaskCompleteView.as_view(), name="api-task-complete"),
    path("tasks/<int:pk>/reassign/", tasks.TaskReassignView.as_view(), name="api-task-reassign"),
    path("notifications/", tasks.NotificationListView.as_view(), name="api-notifications"),
    path(
        "notifications/read-all/",
        tasks.NotificationReadAllView.as_view(),
        name="api-notifications-read-all",
    ),
    path(
        "notifications/<int:pk>/read/",
        tasks.NotificationReadView.as_view(),
        name="api-notification-read",
    ),
]
