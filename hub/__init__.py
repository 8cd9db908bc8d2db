"""Jejaring KIM: a hub that links the community information groups (KIM) of a kabupaten.

This package's own import is light on purpose: the parser processes of a refresh import
hub.aggregation.prepare, which needs neither Flask nor SQLAlchemy (hub.app builds the app).
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None, instance_path=None):
    """Build the application: configuration, extensions, blueprints, CLI (hub.app)."""
    from .app import create_app as build
    return build(config, instance_path)
