import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import override_settings

from officers.models import Agency, OfficerProfile

ACCOUNTS = ["officer1", "officer2", "officer3", "hr_a", "hr_b", "editor_a", "reviewer", "admin"]


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_creates_the_contract_accounts(client):
    with override_settings(DEBUG=True):
        call_command("seed_demo")
        counts = (get_user_model().objects.count(), Agency.objects.count())
        call_command("seed_demo")
    assert (get_user_model().objects.count(), Agency.objects.count()) == counts
    for username in ACCOUNTS:
        assert client.login(request=HttpRequest(), username=username, password="demo-pass-2568"), (
            username
        )
    assert get_user_model().objects.get(username="admin").is_superuser
    a = Agency.objects.get(code="A")
    assert a.get_children().count() == 2
    profiles = {p.user.username: p for p in OfficerProfile.objects.select_related("agency")}
    assert profiles["officer1"].agency.is_descendant_of(a)
    assert profiles["officer2"].agency.is_descendant_of(a)
    assert profiles["officer3"].agency.code == "B"
    assert profiles["officer1"].display_name_th == "นายสมชาย ใจดี"


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug_unless_forced():
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not get_user_model().objects.exists()
    with override_settings(DEBUG=False):
        call_command("seed_demo", "--force")
    assert get_user_model().objects.filter(username="officer1").exists()
