"""The hub's public address, for every layer that writes links: pages, the API, feeds, short
links. It needs a request or the configuration, nothing of the web views."""
from flask import current_app, request


def public_base_url() -> str:
    """The hub's public address: configured (HUB_BASE_URL), else the one the request came to.
    Permanent post links and feed ids are built on it."""
    return current_app.config.get("HUB_BASE_URL") or request.url_root
