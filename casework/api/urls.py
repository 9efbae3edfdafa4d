from django.urls import path

from casework.api import consents, views

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
    path(
        "consents/<int:pk>/withdraw/",
        consents.ConsentWithdrawView.as_view(),
        name="api-consent-withdraw",
    ),
]
