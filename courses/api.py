"""JSON endpoints of the courses app, mounted under /api/v1/ by lms.api."""

from ninja import Router

router = Router(tags=["courses"])
