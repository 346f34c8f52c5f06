from rest_framework.routers import DefaultRouter

from .views import ConsentViewSet, DisputeViewSet, HoldViewSet

router = DefaultRouter()
router.register("consents", ConsentViewSet, basename="consent")
router.register("holds", HoldViewSet, basename="hold")
router.register("disputes", DisputeViewSet, basename="dispute")

urlpatterns = router.urls
