"""Headers every portal response carries: a strict Content-Security-Policy (no inline scripts; the brand
colours come in one nonce'd <style> block), no caching, no referrer (so a pay-link URL never leaks to a
logo host), no indexing, no framing."""

from __future__ import annotations

import secrets
from functools import wraps

STRIPE_CHECKOUT = "https://checkout.stripe.com"


def content_security_policy(nonce: str) -> str:
    return "; ".join([
        "default-src 'none'",
        "script-src 'self'",
        f"style-src 'self' 'nonce-{nonce}'",
        "img-src 'self' https: data:",
        "font-src 'self'",
        "connect-src 'self'",
        # Paying redirects from our form to the provider's hosted page (Chrome checks redirects too).
        f"form-action 'self' {STRIPE_CHECKOUT}",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ])


def portal_headers(view):
    """Decorator: give the request a CSP nonce and the response the portal's security headers."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = content_security_policy(request.csp_nonce)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["X-Frame-Options"] = "DENY"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    return wrapped
