from django.urls import path

from . import views, views_placement

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("placements/", views_placement.PlacementListView.as_view(), name="placement-list"),
    path("placements/upload/", views_placement.PlacementUploadView.as_view(), name="placement-upload"),
    path("placements/<int:pk>/", views_placement.PlacementDetailView.as_view(), name="placement-detail"),
    path("placements/<int:pk>/errors.csv", views_placement.PlacementErrorsCsvView.as_view(), name="placement-errors"),
]
