from django.urls import path

from casework.api import assessments, consents, views

urlpatterns = [
    path("students/", views.StudentListView.as_view(), name="api-students"),
    path("students/<int:pk>/", views.StudentDetailView.as_view(), name="api-student"),
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
]
