from rest_framework.routers import DefaultRouter

from .messages import MessageViewSet
from .views import MessageTemplateViewSet

router = DefaultRouter()
router.register("templates", MessageTemplateViewSet, basename="message-template")
router.register("messages", MessageViewSet, basename="message")

urlpatterns = router.urls
