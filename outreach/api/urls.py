from rest_framework.routers import DefaultRouter

from ..cadences.api import CadenceViewSet, CampaignViewSet
from .messages import MessageViewSet
from .views import MessageTemplateViewSet

router = DefaultRouter()
router.register("templates", MessageTemplateViewSet, basename="message-template")
router.register("messages", MessageViewSet, basename="message")
router.register("cadences", CadenceViewSet, basename="cadence")
router.register("campaigns", CampaignViewSet, basename="campaign")

urlpatterns = router.urls
