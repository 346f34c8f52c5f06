from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("desk/cases", views.DeskCaseViewSet, basename="desk-case")

urlpatterns = [
    path("desk/next-case/", views.NextCaseView.as_view(), name="desk-next-case"),
    path("desk/queues/", views.QueueStatsView.as_view(), name="desk-queues"),
    path("desk/approvals/", views.ApprovalsView.as_view(), name="desk-approvals"),
    path("desk/approvals/<int:pk>/decide/", views.ApprovalDecideView.as_view(), name="desk-approval-decide"),
    path("desk/routing-policies/<slug:slug>/", views.RoutingPolicyView.as_view(), name="desk-routing-policy"),
    *router.urls,
]
