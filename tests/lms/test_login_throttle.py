"""Brute force on every login form is stopped (django-axes plus an address-wide cap).

Attacks go through HTTP as an anonymous client on one address, as an attacker would.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

LOGIN_FORMS = ["/accounts/login/", "/admin/login/", "/django-admin/login/"]
RIGHT = "right-horse-battery-2568"


def make_staff(username):
    return get_user_model().objects.create_superuser(
        username=username, email=f"{username}@example.go.th", password=RIGHT
    )


def attempt(client, url, username, password):
    # The outside uptime checks post both "username" and "login".
    return client.post(url, {"username": username, "login": username, "password": password})


def signed_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
@pytest.mark.parametrize("url", LOGIN_FORMS)
def test_fifty_wrong_passwords_lock_the_account_then_admin_unlocks_it(url, settings):
    victim = make_staff("victim")
    bystander = make_staff("bystander")
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(50):
        attempt(attacker, url, "victim", f"guess-{n}")

    refused = attempt(attacker, url, "victim", RIGHT)
    assert signed_in_as(attacker) is None
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in html and 'class="site-header"' in html
    assert "30 นาที" in html
    # From another address too: the account itself is locked.
    assert attempt(Client(REMOTE_ADDR="198.51.100.9"), url, "victim", RIGHT).status_code == 429

    # A colleague behind the same NAT address still signs in.
    colleague = Client(REMOTE_ADDR="203.0.113.7")
    assert attempt(colleague, url, "bystander", RIGHT).status_code == 302
    assert signed_in_as(colleague) == str(bystander.pk)

    # An administrator unlocks the account in Django's admin (Axes' access attempts).
    from axes.models import AccessAttempt

    locked = list(AccessAttempt.objects.filter(username="victim").values_list("pk", flat=True))
    assert locked
    # The staff second factor is tested in tests/accounts; here the unlock itself.
    settings.LMS_STAFF_MFA_REQUIRED = False
    listing = colleague.get("/django-admin/axes/accessattempt/")
    assert listing.status_code == 200 and "victim" in listing.content.decode()
    colleague.post(
        "/django-admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": locked, "post": "yes"},
    )
    assert not AccessAttempt.objects.filter(username="victim").exists()

    again = Client(REMOTE_ADDR="203.0.113.7")
    assert attempt(again, url, "victim", RIGHT).status_code == 302
    assert signed_in_as(again) == str(victim.pk)


@pytest.mark.django_db
def test_lockout_ends_after_the_cool_off(settings):
    from axes.models import AccessAttempt
    from django.utils import timezone

    make_staff("victim")
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(attacker, "/accounts/login/", "victim", f"guess-{n}")
    assert attempt(attacker, "/accounts/login/", "victim", RIGHT).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timezone.timedelta(seconds=1)
    )
    assert attempt(attacker, "/accounts/login/", "victim", RIGHT).status_code == 302


@pytest.mark.django_db
def test_one_address_spraying_many_accounts_hits_the_address_cap(settings):
    settings.LMS_LOGIN_ADDRESS_FAILURE_LIMIT = 12
    for i in range(4):
        make_staff(f"user{i}")
    sprayer = Client(REMOTE_ADDR="203.0.113.50")
    # Three guesses per account stays under the per-account limit ...
    for i in range(4):
        for n in range(3):
            attempt(sprayer, "/accounts/login/", f"user{i}", f"guess-{n}")
    # ... but the address has now failed 12 times: refused even with a right password.
    assert attempt(sprayer, "/accounts/login/", "user0", RIGHT).status_code == 429
    # Another address is not affected.
    elsewhere = Client(REMOTE_ADDR="198.51.100.9")
    assert attempt(elsewhere, "/accounts/login/", "user0", RIGHT).status_code == 302


@pytest.mark.django_db
def test_an_office_with_many_typos_is_not_locked_out(settings):
    """The default address cap leaves room for a big office behind one NAT address."""
    assert settings.LMS_LOGIN_ADDRESS_FAILURE_LIMIT >= 20 * settings.AXES_FAILURE_LIMIT
    office = "203.0.113.80"
    for i in range(30):
        make_staff(f"clerk{i}")
        attempt(Client(REMOTE_ADDR=office), "/accounts/login/", f"clerk{i}", "typo")
        attempt(Client(REMOTE_ADDR=office), "/accounts/login/", f"clerk{i}", "typo2")
    late = Client(REMOTE_ADDR=office)
    assert attempt(late, "/accounts/login/", "clerk29", RIGHT).status_code == 302


@pytest.mark.django_db
def test_a_locked_account_is_refused_by_the_login_form_of_the_api_client_too(client):
    """XMLHttpRequest callers get the lockout as JSON, not the page."""
    make_staff("victim")
    for n in range(10):
        attempt(client, "/accounts/login/", "victim", f"guess-{n}")
    response = client.post(
        "/accounts/login/",
        {"username": "victim", "password": RIGHT},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 429 and response.json()["username"] == "victim"
