from django.urls import path

from workflows.api import tasks, views

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="api-cases"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="api-case"),
    path(
        "cases/<int:pk>/transitions/<str:name>/",
        views.CaseTransitionView.as_view(),
        name="api-case-transition",
    ),
    path(
        "cases/<int:pk>/objectives/", views.ObjectiveListView.as_view(), name="api-case-objectives"
    ),
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
