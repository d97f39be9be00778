"""Reads for the catalogue and site search, with a query count that does not grow
with the number of courses on a page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from wagtail.models import Page

from reference.models import SkillArea, ToolTopic

from .forms import DURATION_RANGES, CatalogueFilterForm, SearchForm
from .models import (
    CourseIndexPage,
    CoursePage,
    CourseSkillTarget,
    LearningPathPage,
    LessonPage,
    SuccessStoryPage,
)

CATALOGUE_PAGE_SIZE = 12
SEARCH_PAGE_SIZE = 10
RELEVANCE_RANKING_LIMIT = 200
SEARCHABLE_TYPES = (CoursePage, LessonPage, SuccessStoryPage, LearningPathPage)


def courses_filtered(*, index: CourseIndexPage, filters: dict) -> QuerySet[CoursePage]:
    """Live, public courses under the catalogue matching the cleaned filters."""
    qs = CoursePage.objects.live().public().descendant_of(index)
    if filters.get("topic"):
        qs = qs.filter(tool_topics__slug=filters["topic"])
    if filters.get("skill"):
        qs = qs.filter(skill_targets__skill_area__slug=filters["skill"])
    if filters.get("phase"):
        qs = qs.filter(roadmap_phase=filters["phase"])
    if filters.get("agency_type"):
        # JSON list stored as text on SQLite and jsonb on PostgreSQL: match the quoted code.
        qs = qs.filter(agency_types__icontains=f'"{filters["agency_type"]}"')
    if filters.get("duration"):
        low, high = DURATION_RANGES[filters["duration"]]
        qs = qs.filter(duration_minutes__gte=low)
        if high is not None:
            qs = qs.filter(duration_minutes__lte=high)
    return qs.distinct().order_by("-first_published_at", "pk")


def catalogue_page(*, index: CourseIndexPage, params) -> dict:
    """Everything the catalogue template needs: form, page of courses, filter options."""
    topics = list(ToolTopic.objects.all())
    skills = list(SkillArea.objects.all())
    form = CatalogueFilterForm(params, topics=topics, skills=skills)
    context = {"form": form, "topics": topics, "skills": skills, "errors": []}
    if not form.is_valid():
        context["errors"] = [e for errors in form.errors.values() for e in errors]
        context["courses"] = []
        context["page_obj"] = None
        context["querystring"] = ""
        return context
    filters = {k: v for k, v in form.cleaned_data.items() if k != "page" and v}
    qs = courses_filtered(index=index, filters=filters).prefetch_related(
        "tool_topics",
        Prefetch("skill_targets", queryset=CourseSkillTarget.objects.select_related("skill_area")),
    )
    paginator = Paginator(qs, CATALOGUE_PAGE_SIZE)
    page_obj = paginator.get_page(form.cleaned_data.get("page") or 1)
    context.update(
        courses=list(page_obj.object_list),
        page_obj=page_obj,
        filters=filters,
        querystring="&".join(f"{k}={v}" for k, v in filters.items()),
    )
    return context


def site_search(*, params) -> dict:
    """Live, public lessons, courses, stories and paths matching ``q`` (Thai segmented)."""
    form = SearchForm(params)
    context = {"form": form, "query": "", "results": [], "page_obj": None, "errors": []}
    if not form.is_valid():
        context["errors"] = [e for errors in form.errors.values() for e in errors]
        return context
    query = form.cleaned_data["q"]
    context["query"] = query
    if not query:
        return context
    qs = Page.objects.live().public().type(*SEARCHABLE_TYPES)
    # The database backends score relevance with one correlated sub-query per matching
    # row; past a few hundred matches that dominates, so large result sets come in tree
    # order (courses next to their lessons) instead.
    matches = qs.search(query, operator="and", order_by_relevance=False).count()
    results = qs.search(
        query, operator="and", order_by_relevance=matches <= RELEVANCE_RANKING_LIMIT
    )
    paginator = Paginator(results, SEARCH_PAGE_SIZE)
    page_obj = paginator.get_page(form.cleaned_data.get("page") or 1)
    ids = [p.pk for p in page_obj.object_list]
    specific = {p.pk: p for p in Page.objects.filter(pk__in=ids).specific()}
    context["results"] = [specific[pk] for pk in ids if pk in specific]
    context["page_obj"] = page_obj
    return context
