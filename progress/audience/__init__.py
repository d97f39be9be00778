"""Audience figures of clips for publishers (Wagtail admin)."""
