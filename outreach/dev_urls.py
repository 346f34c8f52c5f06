from django.urls import path

from . import views_outbox

urlpatterns = [
    path("outbox/", views_outbox.DevOutboxView.as_view(), name="dev-outbox"),
    path("outbox/<int:pk>/delivery/", views_outbox.DevOutboxDeliveryView.as_view(), name="dev-outbox-delivery"),
    path("outbox/<int:pk>/reply/", views_outbox.DevOutboxReplyView.as_view(), name="dev-outbox-reply"),
]
