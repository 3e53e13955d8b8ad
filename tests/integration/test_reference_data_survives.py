"""Transactional tests (live worker, the migration round trip in tests/accounts) end with a flush of
the database; serialized rollback must put the reference data loaded by migrations back. This test runs
after tests/accounts' transactional test (pytest-django runs transactional tests last, in file order)."""

import pytest

from accounts.models import AdministrativeUnit


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reference_data_is_back_after_an_earlier_transactional_test():
    assert AdministrativeUnit.objects.filter(valid_to__isnull=True, level="province").count() == 34
    assert AdministrativeUnit.objects.filter(valid_to__isnull=True, level="commune").count() == 3321
