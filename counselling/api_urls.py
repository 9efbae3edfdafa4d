from django.urls import path

from counselling import api

urlpatterns = [
    path("activities/", api.ActivityListView.as_view(), name="api-activities"),
    path("activities/<int:pk>/", api.ActivityDetailView.as_view(), name="api-activity"),
    path(
        "activities/<int:pk>/attendance/",
        api.AttendanceView.as_view(),
        name="api-activity-attendance",
    ),
    path(
        "activities/<int:pk>/attendance.pdf",
        api.AttendancePdfView.as_view(),
        name="api-activity-attendance-pdf",
    ),
]
