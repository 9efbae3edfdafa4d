from django.urls import path

from counselling import api
from counselling.reports import api as reports_api

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

urlpatterns += [
    path("reports/", reports_api.ReportListView.as_view(), name="api-reports"),
    path("reports/<int:pk>/", reports_api.ReportDetailView.as_view(), name="api-report"),
    path(
        "reports/<int:pk>/pdf/",
        reports_api.ReportFileView.as_view(fmt="pdf"),
        name="api-report-pdf",
    ),
    path(
        "reports/<int:pk>/xlsx/",
        reports_api.ReportFileView.as_view(fmt="xlsx"),
        name="api-report-xlsx",
    ),
    path(
        "reports/<int:pk>/<str:action>/",
        reports_api.ReportStepView.as_view(),
        name="api-report-step",
    ),
]
