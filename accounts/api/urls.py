from rest_framework.routers import DefaultRouter

from .placement import PlacementImportViewSet
from .views import AccountViewSet, CaseViewSet, CreditorViewSet, CustomerViewSet

router = DefaultRouter()
router.register("creditors", CreditorViewSet, basename="creditor")
router.register("customers", CustomerViewSet, basename="customer")
router.register("accounts", AccountViewSet, basename="account")
router.register("cases", CaseViewSet, basename="case")
router.register("placements", PlacementImportViewSet, basename="placement-import")

urlpatterns = router.urls
