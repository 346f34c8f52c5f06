from rest_framework.routers import DefaultRouter

from .views import PaymentViewSet, PlanViewSet, PromiseViewSet, SettlementViewSet

router = DefaultRouter()
router.register("payments", PaymentViewSet, basename="payment")
router.register("plans", PlanViewSet, basename="plan")
router.register("settlements", SettlementViewSet, basename="settlement")
router.register("promises", PromiseViewSet, basename="promise")

urlpatterns = router.urls
