"""The layers of DESIGN.md hold below the import lines too.

import-linter checks Python imports. This checks what it cannot see: model relations
named by string ("courses.ToolTopic"), chooser blocks in StreamFields, Wagtail page-type
rules, migration dependencies (and the models their operations point at), and
templates that include or extend another app's template. A lower app never points at a
higher one; apps on the same level (quizzes, media_pipeline) do not point at each other.
"""

from __future__ import annotations

import re
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.base import Operation
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Page

ROOT = Path(__file__).resolve().parents[2]

# DESIGN.md "Apps and the direction of dependencies", top to bottom.
LEVELS = {
    "lms": 7,
    "hr": 6,
    "progress": 5,
    "courses": 4,
    "quizzes": 3,
    "media_pipeline": 3,
    "officers": 2,
    "reference": 1,
    "common": 0,
}


def _allowed(source: str, target: str) -> bool:
    if source not in LEVELS or target not in LEVELS or source == target:
        return True
    return LEVELS[target] < LEVELS[source]


def _label(model_or_string) -> str:
    if isinstance(model_or_string, str):
        return model_or_string.split(".")[0].lower()
    return model_or_string._meta.app_label


def _project_models():
    return [m for m in apps.get_models(include_auto_created=True) if _label(m) in LEVELS]


def _chooser_targets(block) -> list:
    """Models named by chooser blocks anywhere inside a StreamField's block tree."""
    found = []
    if isinstance(block, blocks.ChooserBlock) and getattr(block, "target_model", None):
        found.append(block.target_model)
    children = getattr(block, "child_blocks", None) or {}
    for child in children.values():
        found.extend(_chooser_targets(child))
    child = getattr(block, "child_block", None)
    if child is not None:
        found.extend(_chooser_targets(child))
    return found


def relation_violations() -> list[str]:
    bad = []
    for model in _project_models():
        source = _label(model)
        for field in model._meta.get_fields(include_hidden=True):
            if isinstance(field, StreamField):
                for target in _chooser_targets(field.stream_block):
                    if not _allowed(source, _label(target)):
                        bad.append(f"{model._meta.label}.{field.name} chooses {target}")
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            targets = [field.related_model]
            through = getattr(getattr(field, "remote_field", None), "through", None)
            if through is not None:
                targets.append(through)
            for target in targets:
                if not _allowed(source, _label(target)):
                    bad.append(f"{model._meta.label}.{field.name} -> {_label(target)}")
        if issubclass(model, Page):
            for attr in ("parent_page_types", "subpage_types"):
                for name in getattr(model, attr, None) or []:
                    if not _allowed(source, _label(name)):
                        bad.append(f"{model._meta.label}.{attr} names {name}")
    return bad


def _operation_targets(operation: Operation) -> list[str]:
    fields = []
    if getattr(operation, "field", None) is not None:
        fields.append(operation.field)
    fields.extend(f for _name, f in getattr(operation, "fields", None) or [])
    targets = []
    for field in fields:
        remote = getattr(field, "remote_field", None)
        if remote is None:
            continue
        for model in (remote.model, getattr(remote, "through", None)):
            if isinstance(model, str) and "." in model:
                targets.append(model)
            elif isinstance(model, type) and issubclass(model, models.Model):
                targets.append(model._meta.label)
    return targets


def migration_violations() -> list[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    loader.graph.ensure_not_cyclic()
    bad = []
    for (app_label, name), migration in loader.disk_migrations.items():
        if app_label not in LEVELS:
            continue
        for dep_app, dep_name in migration.dependencies:
            if dep_app == "__setting__":
                continue
            if not _allowed(app_label, dep_app):
                bad.append(f"{app_label}.{name} depends on {dep_app}.{dep_name}")
        for target_app, target_name in getattr(migration, "run_before", []):
            if not _allowed(target_app, app_label):
                bad.append(f"{app_label}.{name} runs before {target_app}.{target_name}")
        for operation in migration.operations:
            for target in _operation_targets(operation):
                if not _allowed(app_label, _label(target)):
                    bad.append(f"{app_label}.{name} points at {target}")
    return bad


TEMPLATE_TAG = re.compile(r"""\{%-?\s*(?:include|extends)\s+["']([^"']+)["']""")


def _template_dirs() -> dict[str, Path]:
    return {app: ROOT / app / "templates" for app in LEVELS if (ROOT / app / "templates").is_dir()}


def template_violations() -> list[str]:
    dirs = _template_dirs()

    def owners(name: str) -> list[str]:
        return [app for app, d in dirs.items() if (d / name).is_file()]

    bad = []
    for app, directory in dirs.items():
        for path in directory.rglob("*"):
            if not path.is_file() or path.suffix not in {".html", ".txt", ".xml", ".js"}:
                continue
            for name in TEMPLATE_TAG.findall(path.read_text(encoding="utf-8")):
                for owner in owners(name):
                    if not _allowed(app, owner):
                        bad.append(f"{path.relative_to(ROOT)} uses {owner}'s {name}")
    return bad


def test_every_project_app_has_a_level():
    project_apps = {c.label for c in apps.get_app_configs() if Path(c.path).parent == ROOT}
    assert project_apps == set(LEVELS)


@pytest.mark.parametrize(
    "check",
    [relation_violations, migration_violations, template_violations],
    ids=lambda check: check.__name__,
)
def test_nothing_points_upward(check):
    assert check() == []


def app_migration_graph() -> dict[str, set[str]]:
    """Project app -> the project apps its migrations depend on."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    graph: dict[str, set[str]] = {app: set() for app in LEVELS}
    for (app_label, _name), migration in loader.disk_migrations.items():
        if app_label in LEVELS:
            graph[app_label] |= {a for a, _n in migration.dependencies if a in LEVELS} - {app_label}
    return graph


def test_apps_migrations_form_no_cycle():
    """Node by node the graph can be acyclic while two apps still need each other
    (courses 0004 -> quizzes 0001, quizzes 0002 -> courses 0003): check apps."""
    try:
        list(TopologicalSorter(app_migration_graph()).static_order())
    except CycleError as exc:
        pytest.fail(f"apps' migrations form a cycle: {exc.args[1]}")


def test_the_checks_see_an_upward_reference():
    """The pieces each check relies on report made-up upward references, so an empty
    result above means something."""
    assert not _allowed("quizzes", "courses")
    assert not _allowed("quizzes", "media_pipeline")  # same level: neither knows the other
    assert _allowed("quizzes", "officers") and _allowed("hr", "reference")
    field = models.ForeignKey("hr.Assignment", on_delete=models.CASCADE)
    operation = type("AddField", (), {"field": field})()
    assert _operation_targets(operation) == ["hr.Assignment"]
    stream = blocks.StreamBlock(
        [("pages", blocks.ListBlock(blocks.PageChooserBlock("courses.CoursePage")))]
    )
    assert [m._meta.label for m in _chooser_targets(stream)] == ["courses.CoursePage"]
    with pytest.raises(CycleError):
        list(TopologicalSorter({"courses": {"quizzes"}, "quizzes": {"courses"}}).static_order())
    text = "{% include \"progress/x.html\" with a=1 %}{% extends 'b.html' %}"
    assert TEMPLATE_TAG.findall(text) == ["progress/x.html", "b.html"]
