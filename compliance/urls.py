from django.urls import path

from .views import OptOutLinkView

app_name = "compliance"

urlpatterns = [
    path("c/opt-out/<str:token>/", OptOutLinkView.as_view(), name="opt-out-link"),
]
