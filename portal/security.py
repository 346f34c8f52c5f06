"""Headers every portal response carries: a strict Content-Security-Policy (no inline scripts; the brand
colours come in one nonce'd <style> block), no caching, a same-origin referrer policy (a pay-link URL never
leaks to a logo host; "no-referrer" would make browsers send ``Origin: null`` on form posts, which
Django's CSRF check rightly refuses), no indexing, no framing."""

from __future__ import annotations

import secrets
import time
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
        started = time.perf_counter()
        request.csp_nonce = secrets.token_urlsafe(16)
        response = view(request, *args, **kwargs)
        # Time spent in the portal view (session, queries, template): what bench/portal_bench.py reads.
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        response["Content-Security-Policy"] = content_security_policy(request.csp_nonce)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["X-Frame-Options"] = "DENY"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    return wrapped
