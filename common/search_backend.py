"""Wagtail's database search backend with Thai word segmentation of queries.

Configured in settings as ``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]``. It
wraps whichever concrete backend ``wagtail.search.backends.database`` picks for
the connection (SQLite FTS5, PostgreSQL, fallback), so site search, the admin's
page and snippet search and ``Page.objects.search()`` all segment the query the
same way the index text was segmented (see common.thai_search).
"""

from __future__ import annotations

from modelsearch.query import PlainText
from wagtail.search.backends import database

from .thai_search import segment_query

_classes: dict[type, type] = {}


class ThaiQueryMixin:
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        if isinstance(query, str):
            query = segment_query(query)
        elif isinstance(query, PlainText):
            query = PlainText(
                segment_query(query.query_string), operator=query.operator, boost=query.boost
            )
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


def SearchBackend(params):  # noqa: N802 - Wagtail looks this name up
    base = database.SearchBackend(params)
    base_class = type(base)
    cls = _classes.get(base_class)
    if cls is None:
        cls = type(f"Thai{base_class.__name__}", (ThaiQueryMixin, base_class), {})
        _classes[base_class] = cls
    return cls(params)
