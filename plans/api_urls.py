from django.urls import path

from plans import api

urlpatterns = [
    path("office/kpis/", api.KpisView.as_view(), name="api-office-kpis"),
    path("office/effectiveness/", api.EffectivenessView.as_view(), name="api-office-effectiveness"),
    path("office/kpis.xlsx", api.OutcomesExportView.as_view(), name="api-office-kpis-xlsx"),
]
