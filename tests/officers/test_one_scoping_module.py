"""Issue 14: role names live in officers/roles.py and the agency-subtree filter in
officers/scoping.py only; no app writes its own copy (a new copy fails here)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("lms", "common", "courses", "media_pipeline", "quizzes", "officers", "progress", "hr")
# Page-tree filters (a course's lessons: lesson__path__startswith) are not agency subtrees.
SUBTREE = re.compile(
    r"(?<!model_)(?<!lesson__)path__startswith|(?<!request)\.path\.startswith\(|\.get_descendants\("
)
ROLE_NAME = re.compile(r"""["'](agency_hr|agency_editor|central_reviewer|administrator)["']""")
GROUP_LOOKUP = re.compile(r"groups__name|groups\.filter\(|groups\.values_list\(")


def sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def test_subtree_filters_and_role_checks_live_in_the_scoping_module_only():
    found = {
        (name, kind)
        for name, text in sources()
        for kind, pattern in (("subtree", SUBTREE), ("role", ROLE_NAME), ("groups", GROUP_LOOKUP))
        if pattern.search(text)
    }
    assert found == {
        ("officers/scoping.py", "subtree"),
        ("officers/scoping.py", "groups"),
        ("officers/roles.py", "role"),
    }


@pytest.mark.django_db
def test_the_subtree_covers_units_added_after_it_was_read():
    """A unit read before it gained children still covers them (treebeard's get_tree
    would not: its leaf shortcut trusts the in-memory numchild)."""
    from officers.models import Agency
    from officers.scoping import agency_subtree, agency_within

    root = Agency.add_root(code="R", name="ราก")
    stale = Agency.objects.get(pk=root.pk)
    child = Agency.objects.get(pk=root.pk).add_child(code="R1", name="ลูก")
    other = Agency.add_root(code="S", name="อื่น")
    assert list(agency_subtree(stale)) == [root, child]
    assert agency_within(child, stale) and agency_within(stale, stale)
    assert not agency_within(other, stale) and not agency_within(stale, child)
