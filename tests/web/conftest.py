import pytest


@pytest.fixture
def officer_client(client):
    """A client signed in as an officer of province 01 (the officer is `client.officer`)."""
    from tests import factories as f

    officer = f.officer("01")
    client.force_login(officer)
    client.officer = officer
    return client
