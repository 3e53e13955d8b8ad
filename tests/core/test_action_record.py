import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from core.models import ActionRecord
from core.services import action_record, action_records_of
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_act_is_recorded_with_its_object_actor_and_reason():
    user = factories.user()
    record = action_record(action="round_created", obj=user, summary="Tạo đợt", by=user, reason=" vì  ")
    assert list(action_records_of(user)) == [record]
    assert record.object_type == "accounts.user" and record.object_id == str(user.pk)
    assert record.actor == user and record.reason == "vì"


def test_the_record_cannot_be_edited_or_deleted_by_the_application():
    user = factories.user()
    record = action_record(action="x", obj=user, summary="s", by=user)
    with pytest.raises(ActionRecord.AppendOnly):
        record.save()
    with pytest.raises(ActionRecord.AppendOnly):
        record.delete()
    with pytest.raises(ActionRecord.AppendOnly):
        ActionRecord.objects.all().delete()
    with pytest.raises(ActionRecord.AppendOnly):
        ActionRecord.objects.update(summary="y")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_raw_updates_and_deletes():
    user = factories.user()
    record = action_record(action="x", obj=user, summary="s", by=user)
    for sql in (
        "UPDATE core_actionrecord SET summary = 'y' WHERE id = %s",
        "DELETE FROM core_actionrecord WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [record.pk])
