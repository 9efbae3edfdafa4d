from django.urls import path

from workflows.api import views

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
]
