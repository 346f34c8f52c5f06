from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("next/", views.NextCaseView.as_view(), name="next"),
    path("case/<int:pk>/", views.CaseView.as_view(), name="case"),
    path("case/<int:pk>/form/<slug:name>/", views.CaseFormView.as_view(), name="case-form"),
    path("case/<int:pk>/<slug:name>/", views.CaseActionView.as_view(), name="case-action"),
    path("team/", views.TeamView.as_view(), name="team"),
    path("team/approvals/<slug:kind>/<int:pk>/", views.ApprovalDecideView.as_view(), name="approval-decide"),
    path("team/routing/<slug:slug>/", views.RoutingPolicyView.as_view(), name="routing-policy"),
]
