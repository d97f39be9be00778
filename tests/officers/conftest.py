import pytest


@pytest.fixture
def accounts(db):
    """The demo agencies, groups and accounts (officers.demo.seed), without the slow
    media and course seeding of the full `demo` fixture."""
    from officers.demo import seed

    seed()
