"""JSON endpoints of the hr app, mounted under /api/v1/ by lms.api."""

from ninja import Router

router = Router(tags=["hr"])
