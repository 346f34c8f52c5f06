from django.urls import path

from .audit_views import AuditEventListAPIView, EvidencePackAPIView

urlpatterns = [
    path("audit-events/", AuditEventListAPIView.as_view(), name="api-audit-event-list"),
    path("accounts/<int:pk>/evidence-pack/", EvidencePackAPIView.as_view(), name="api-evidence-pack"),
]
