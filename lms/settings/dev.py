"""Laptop settings: base defaults with DEBUG on."""

from .base import *  # noqa: F403
