import pytest


@pytest.fixture(autouse=True)
def staff_sign_in_by_password(settings):
    """These journeys sign staff in through the password form; the staff second factor
    has its own tests (tests/accounts/test_staff_factor.py, real TOTP codes)."""
    settings.LMS_STAFF_MFA_REQUIRED = False
