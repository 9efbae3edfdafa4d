from django.urls import path

from casework.api import views

urlpatterns = [
    path("students/", views.StudentListView.as_view(), name="api-students"),
    path("students/<int:pk>/", views.StudentDetailView.as_view(), name="api-student"),
    path(
        "cases/<int:pk>/closing-review/",
        views.ClosingReviewView.as_view(),
        name="api-case-closing-review",
    ),
]
