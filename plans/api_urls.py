from django.urls import path

from plans import api, api_plans

urlpatterns = [
    path("office/kpis/", api.KpisView.as_view(), name="api-office-kpis"),
    path("office/effectiveness/", api.EffectivenessView.as_view(), name="api-office-effectiveness"),
    path("office/kpis.xlsx", api.OutcomesExportView.as_view(), name="api-office-kpis-xlsx"),
]

urlpatterns += [
    path("plans/", api_plans.PlanListView.as_view(), name="api-plans"),
    path("plans/<int:pk>/", api_plans.PlanDetailView.as_view(), name="api-plan"),
    path(
        "plans/<int:pk>/objectives/",
        api_plans.PlanObjectiveView.as_view(),
        name="api-plan-objectives",
    ),
    path(
        "plan-objectives/<int:pk>/actions/",
        api_plans.PlanActionView.as_view(),
        name="api-plan-actions",
    ),
    path(
        "plan-actions/<int:pk>/indicators/",
        api_plans.PlanIndicatorView.as_view(),
        name="api-plan-indicators",
    ),
    path(
        "plan-indicators/<int:pk>/values/",
        api_plans.IndicatorValueView.as_view(),
        name="api-plan-values",
    ),
]
