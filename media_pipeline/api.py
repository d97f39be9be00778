"""JSON endpoints of the media_pipeline app, mounted under /api/v1/ by lms.api."""

from ninja import Router

router = Router(tags=["media_pipeline"])
