from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("payments/webhooks/stripe/", views.StripeWebhookView.as_view(), name="webhook-stripe"),
    path("payments/webhooks/offline/", views.OfflineWebhookView.as_view(), name="webhook-offline"),
    path("pay/offline/<str:session_id>/", views.OfflineCheckoutView.as_view(), name="offline-checkout"),
    path("pay/result/", views.checkout_result, name="checkout-result"),
    path("payments/healthz/", views.healthz, name="healthz"),
]
