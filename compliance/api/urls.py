from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import ConsentViewSet, CustomerPreferencesView, DisputeViewSet, HoldViewSet

router = DefaultRouter()
router.register("consents", ConsentViewSet, basename="consent")
router.register("holds", HoldViewSet, basename="hold")
router.register("disputes", DisputeViewSet, basename="dispute")

urlpatterns = [
    path("customers/<int:customer_id>/preferences/", CustomerPreferencesView.as_view(),
         name="customer-preferences"),
    *router.urls,
]
