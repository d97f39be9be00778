"""Site search view: thin, the selector does the work."""

from django.template.response import TemplateResponse

from .selectors import site_search


def search(request):
    context = site_search(params=request.GET)
    status = 400 if context["errors"] else 200
    return TemplateResponse(request, "courses/search.html", context, status=status)
