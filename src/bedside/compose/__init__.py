"""Compose: Evidence → Draft."""
