from django.urls import include, path

from . import views

app_name = "outreach"

urlpatterns = [
    path("", include("outreach.webhook_urls")),
    path("templates/", views.TemplateListView.as_view(), name="template-list"),
    path("templates/new/", views.TemplateCreateView.as_view(), name="template-create"),
    path("templates/preview/", views.TemplatePreviewView.as_view(), name="template-preview"),
    path("templates/<int:pk>/", views.TemplateDetailView.as_view(), name="template-detail"),
    path("templates/<int:pk>/edit/", views.TemplateEditView.as_view(), name="template-edit"),
    path("templates/<int:pk>/<str:verb>/", views.TemplateActionView.as_view(), name="template-action"),
    path("", include("outreach.cadences.urls")),
]
