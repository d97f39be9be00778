import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from officers.models import (
    Agency,
    OfficerProfile,
    citizen_id_is_valid,
    mask_citizen_id,
    validate_citizen_id,
)
from officers.scoping import agencies_visible_to, officers_visible_to, users_visible_to


def make_cid(first12: str) -> str:
    total = sum(int(d) * (13 - i) for i, d in enumerate(first12))
    return first12 + str((11 - total % 11) % 10)


def test_citizen_id_checksum():
    good = make_cid("110170020345")
    assert citizen_id_is_valid(good)
    bad = good[:12] + str((int(good[12]) + 1) % 10)
    assert not citizen_id_is_valid(bad)
    assert not citizen_id_is_valid("12345")
    with pytest.raises(ValidationError):
        validate_citizen_id(bad)
    assert mask_citizen_id(good).endswith(f"{good[10:12]}-{good[12]}")
    assert good[:10] not in mask_citizen_id(good)


@pytest.mark.django_db
def test_profile_fields_and_thai_name(accounts):
    p = OfficerProfile.objects.get(user__username="officer1")
    p.position_level = "K2"
    p.save()
    p.refresh_from_db()
    assert p.position_type == "knowledge"
    assert p.display_name_th == "นายสมชาย ใจดี"
    field_names = {f.name for f in OfficerProfile._meta.get_fields()}
    assert not field_names & {"religion", "blood_type", "health"}
    assert {"supervisor", "citizen_id_hash", "citizen_id_last4", "it_group"} <= field_names
    assert "citizen_id" not in field_names  # PDPA: never the raw number


@pytest.mark.django_db
def test_scoping_selector(accounts):
    User = get_user_model()
    hr_a = User.objects.get(username="hr_a")
    hr_b = User.objects.get(username="hr_b")
    officer1 = User.objects.get(username="officer1")
    admin = User.objects.get(username="admin")
    reviewer = User.objects.get(username="reviewer")
    names = lambda u: set(officers_visible_to(u).values_list("user__username", flat=True))  # noqa: E731
    assert {"officer1", "officer2", "hr_a", "editor_a"} <= names(hr_a)
    assert "officer3" not in names(hr_a) and "hr_b" not in names(hr_a)
    assert names(hr_b) == {"officer3", "hr_b"}
    assert names(officer1) == {"officer1"}
    assert names(reviewer) == {"reviewer"}
    assert "officer3" in names(admin) and "officer1" in names(admin)
    codes = set(agencies_visible_to(hr_a).values_list("code", flat=True))
    assert codes == {"A", "A-IT", "A-HR"}
    assert not agencies_visible_to(officer1).exists()
    assert Agency.objects.count() == agencies_visible_to(admin).count()
    assert set(users_visible_to(officer1).values_list("username", flat=True)) == {"officer1"}
