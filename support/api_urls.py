from django.urls import path

from support import api, api_evidence, api_partners

urlpatterns = [
    path("partners/", api_partners.PartnerListView.as_view(), name="api-partners"),
    path("partners/<int:pk>/", api_partners.PartnerDetailView.as_view(), name="api-partner"),
    path(
        "partners/<int:pk>/agreements/",
        api_partners.AgreementListView.as_view(),
        name="api-partner-agreements",
    ),
    path(
        "partners/<int:pk>/contacts/",
        api_partners.PartnerContactListView.as_view(),
        name="api-partner-contacts",
    ),
    path("opportunities/", api.OpportunityListView.as_view(), name="api-opportunities"),
    path(
        "opportunities/export.xlsx",
        api.MobilityExportView.as_view(),
        name="api-opportunities-export",
    ),
    path("opportunities/<int:pk>/", api.OpportunityDetailView.as_view(), name="api-opportunity"),
    path(
        "opportunities/<int:pk>/participants/",
        api.ParticipantListView.as_view(),
        name="api-opportunity-participants",
    ),
    path(
        "opportunities/<int:pk>/participants.<str:fmt>",
        api.ParticipantFileView.as_view(),
        name="api-opportunity-participants-file",
    ),
    path(
        "objectives/<int:pk>/evidence/",
        api_evidence.ObjectiveEvidenceView.as_view(),
        name="api-objective-evidence",
    ),
    path(
        "participations/<int:pk>/", api.ParticipationDetailView.as_view(), name="api-participation"
    ),
    path(
        "participations/<int:pk>/dossier/",
        api.DossierView.as_view(),
        name="api-participation-dossier",
    ),
    path(
        "participations/<int:pk>/outcome/",
        api.OutcomeView.as_view(),
        name="api-participation-outcome",
    ),
    path(
        "participations/<int:pk>/<str:name>/",
        api.ParticipationMoveView.as_view(),
        name="api-participation-move",
    ),
    path(
        "students/<int:pk>/consents/",
        api.StudentConsentListView.as_view(),
        name="api-student-consents",
    ),
]
