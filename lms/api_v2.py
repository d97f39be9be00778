"""Wagtail's read-only API v2 at /api/v2/: pages, images and documents.

Each endpoint refuses malformed paging and search parameters with a 400 (Wagtail's
``BadRequestError``) before they reach the search backend or the database, where they
would be a 500: an unknown ``search_operator`` is a ValueError in the search backend,
and an ``offset`` or ``limit`` past 64 bits a database error.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

# The largest offset + limit a 64-bit integer (SQLite's and PostgreSQL's bigint) holds.
MAX_ROWS = 2**63 - 1
SEARCH_OPERATORS = ("and", "or")


class ParamsChecked:
    """Mixin for Wagtail API viewsets: validate the parameters Wagtail passes on unchecked."""

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        params = self.request.GET
        operator = params.get("search_operator")
        if operator is not None and operator not in SEARCH_OPERATORS:
            raise BadRequestError("search_operator must be either 'and' or 'or'")
        total = 0
        for name in ("offset", "limit"):
            try:
                value = int(params.get(name, 0))
            except ValueError:
                continue  # Wagtail's paginator answers the 400 for a non-number
            if value > MAX_ROWS:
                raise BadRequestError(f"{name} is too large")
            total += max(value, 0)
        if total > MAX_ROWS:
            raise BadRequestError("offset + limit is too large")


class PagesEndpoint(ParamsChecked, PagesAPIViewSet):
    pass


class ImagesEndpoint(ParamsChecked, ImagesAPIViewSet):
    pass


class DocumentsEndpoint(ParamsChecked, DocumentsAPIViewSet):
    pass


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesEndpoint)
api_router.register_endpoint("images", ImagesEndpoint)
api_router.register_endpoint("documents", DocumentsEndpoint)
