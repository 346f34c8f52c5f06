from django.urls import path

from . import views

urlpatterns = [
    path("cadences/", views.CadenceListView.as_view(), name="cadence-list"),
    path("cadences/<int:pk>/", views.CadenceDetailView.as_view(), name="cadence-detail"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign-list"),
    path("campaigns/new/", views.CampaignFormView.as_view(), name="campaign-create"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign-detail"),
    path("campaigns/<int:pk>/edit/", views.CampaignFormView.as_view(), name="campaign-edit"),
    path("campaigns/<int:pk>/<str:verb>/", views.CampaignActionView.as_view(), name="campaign-action"),
]
