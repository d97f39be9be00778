"""Signals for higher apps: sent (on commit) when a clip becomes ready or fails.

Receivers get ``sender=VideoAsset`` and ``asset=<VideoAsset>``.
"""

from django.dispatch import Signal

video_ready = Signal()
video_failed = Signal()
