"""Aspirasi: the community's aspirations to a KIM and their lifecycle (issue 12)."""
