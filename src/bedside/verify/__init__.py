"""Verify: Draft → checked statements; what fails is dropped, never re-cited."""
