from django.urls import path

from . import audit_views as views

app_name = "audit"

urlpatterns = [
    path("", views.AuditEventListView.as_view(), name="event-list"),
    path("export.csv", views.AuditEventCSVView.as_view(), name="event-csv"),
    path("history/", views.HistoryPickView.as_view(), name="history-pick"),
    path("history/<str:app_label>/<str:model_name>/<str:pk>/", views.ObjectHistoryView.as_view(),
         name="object-history"),
    path("account/<int:pk>/", views.AccountAuditView.as_view(), name="account"),
    path("account/<int:pk>/evidence.zip", views.EvidencePackDownloadView.as_view(), name="evidence-pack"),
]
