from django.urls import path

from . import webhooks

urlpatterns = [
    path("webhooks/twilio/status/", webhooks.twilio_status, name="twilio-status"),
]
