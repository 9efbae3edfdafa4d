from django.urls import path

from casework.api import assessments, consents, library, monitoring, positions, views

urlpatterns = [
    path("me/", positions.MeView.as_view(), name="api-me"),
    path("positions/", positions.PositionListView.as_view(), name="api-positions"),
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
        "instrument-links/<int:pk>/revoke/",
        monitoring.InstrumentLinkRevokeView.as_view(),
        name="api-instrument-link-revoke",
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
    path(
        "cases/<int:pk>/consents/",
        consents.CaseConsentListView.as_view(),
        name="api-case-consents",
    ),
    path("contacts/", consents.ContactListView.as_view(), name="api-contacts"),
    path(
        "cases/<int:pk>/assessments/",
        assessments.CaseAssessmentListView.as_view(),
        name="api-case-assessments",
    ),
    path(
        "assessments/forms/", assessments.AssessmentFormsView.as_view(), name="api-assessment-forms"
    ),
    path(
        "assessments/<int:pk>/", assessments.AssessmentDetailView.as_view(), name="api-assessment"
    ),
    path("library/", library.LibraryListView.as_view(), name="api-library"),
    path("library/drafts/", library.LibraryDraftListView.as_view(), name="api-library-drafts"),
    path("library/export/", library.LibraryExportView.as_view(), name="api-library-export"),
    path("library/import/", library.LibraryImportView.as_view(), name="api-library-import"),
    path("library/<int:pk>/", library.LibraryEntryView.as_view(), name="api-library-entry"),
    path(
        "library/<int:pk>/revise/", library.LibraryReviseView.as_view(), name="api-library-revise"
    ),
    path(
        "library/<int:pk>/withdraw/",
        library.LibraryWithdrawView.as_view(),
        name="api-library-withdraw",
    ),
]
