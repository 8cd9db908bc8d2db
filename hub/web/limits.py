"""Rate limits, with Flask-Limiter.

- Every request that writes (POST, PUT, PATCH, DELETE), on every route of the web and the API:
  HUB_RATELIMIT_WRITES per route, counted per API token, else per logged-in person, else per
  address (a whole village may share one address; logged in, each person counts alone).
- Logging in and asking for an API token: HUB_RATELIMIT_LOGIN per address, on top of the
  per-account throttle (hub.accounts.throttle), so that one address cannot try many accounts.

Counts live in memory (one gunicorn worker's own) unless HUB_RATELIMIT_STORAGE_URL names a shared
store such as redis://127.0.0.1:6379/0. A store that fails does not take the hub down with it
(the request goes through and the failure is logged).
"""
from flask import request
from flask_limiter import Limiter
from flask_login import current_user

from ..text import secret_hash

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
LOGIN_ENDPOINTS = ("auth.login", "api.create_token")


def address() -> str:
    return "addr:" + (request.remote_addr or "unknown")


def rate_key() -> str:
    """Who a write counts against: the API token (its hash), the person, or the address."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "token:" + secret_hash(token.strip())[:24]
    if not request.path.startswith("/api/") and current_user.is_authenticated:
        return f"user:{current_user.id}"
    return address()


def init_app(app):
    """One limiter per app (its own counters): the write limit on every route, the login limit
    on the two ways to log in."""
    limiter = Limiter(
        rate_key, app=app, key_prefix=app.config["HUB_RATELIMIT_PREFIX"],
        default_limits=[lambda: app.config["HUB_RATELIMIT_WRITES"]],
        default_limits_exempt_when=lambda: request.method in SAFE_METHODS,
        headers_enabled=True, swallow_errors=True)
    # one count for both doors: the login form and the token endpoint
    login_limit = limiter.shared_limit(lambda: app.config["HUB_RATELIMIT_LOGIN"], scope="login", key_func=address,
                                       methods=["POST"])
    for endpoint in LOGIN_ENDPOINTS:
        app.view_functions[endpoint] = login_limit(app.view_functions[endpoint])
    app.extensions["hub_limiter"] = limiter
    return limiter
