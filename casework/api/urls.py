from django.urls import path

from casework.api import monitoring, views

urlpatterns = [
    path("students/", views.StudentListView.as_view(), name="api-students"),
    path("students/import/", monitoring.StudentImportView.as_view(), name="api-students-import"),
    path("students/<int:pk>/", views.StudentDetailView.as_view(), name="api-student"),
    path("students/<int:pk>/risk/", monitoring.StudentRiskView.as_view(), name="api-student-risk"),
    path(
        "students/<int:pk>/instrument-links/",
        monitoring.InstrumentLinkListView.as_view(),
        name="api-student-instrument-links",
    ),
    path(
        "students/<int:pk>/assessments/",
        monitoring.StudentAssessmentsView.as_view(),
        name="api-student-assessments",
    ),
    path("signals/", monitoring.SignalListView.as_view(), name="api-signals"),
    path("signals/import/", monitoring.SignalImportView.as_view(), name="api-signals-import"),
    path("watchlist/", monitoring.WatchlistView.as_view(), name="api-watchlist"),
    path("instruments/", monitoring.InstrumentListView.as_view(), name="api-instruments"),
    path(
        "cases/<int:pk>/closing-review/",
        views.ClosingReviewView.as_view(),
        name="api-case-closing-review",
    ),
]
