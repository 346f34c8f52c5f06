"""Payment gateways behind one interface; ``get_gateway()`` picks by settings (no Stripe key → offline)."""

from django.conf import settings

from .base import ChargeResult, CheckoutResult, Gateway, GatewayError, SignatureError

_override = None


def get_gateway() -> Gateway:
    if _override is not None:
        return _override
    if settings.STRIPE_SECRET_KEY:
        from .stripe_client import StripeGateway

        return StripeGateway()
    from .offline import OfflineGateway

    return OfflineGateway()


def use_gateway(gateway: Gateway | None) -> None:
    """Tests and demos: force a gateway (None restores the settings-based choice)."""
    global _override
    _override = gateway


__all__ = ["ChargeResult", "CheckoutResult", "Gateway", "GatewayError", "SignatureError", "get_gateway", "use_gateway"]
