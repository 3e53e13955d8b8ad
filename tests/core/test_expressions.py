"""ValueByKey: one UPDATE gives each row its own JSON value, read back exactly as written."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.expressions import ValueByKey
from notifications.events import EventType
from notifications.models import EventRecord

pytestmark = pytest.mark.django_db


def _event(n):
    return EventRecord.objects.create(type=EventType.COMMENT_RECEIVED, data={"n": n})


def test_each_row_gets_its_own_value_in_one_statement():
    rows = [_event(n) for n in range(3)]
    untouched = _event(9)
    texts = {
        rows[0].pk: {"vi": ["Hồ sơ số 01-06-0001", "Nghệ nhân “Phạm Thị Hồng”\n\tđã nộp"]},
        rows[1].pk: {"vi": ["a", ""], "en": ["b", "c"]},
        rows[2].pk: {},
    }
    with CaptureQueriesContext(connection) as queries:
        EventRecord.objects.filter(pk__in=list(texts)).update(texts=ValueByKey(texts))
    assert len([q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]) == 1
    for row in rows:
        row.refresh_from_db()
        assert row.texts == texts[row.pk]
    untouched.refresh_from_db()
    assert untouched.texts == {}  # outside the filter: not written


def test_any_json_value_reads_back_as_written():
    # SQLite's JSON_EXTRACT gives a JSON string back as bare text: it must come back a string, not fail
    rows = [_event(n) for n in range(4)]
    values = dict(zip([r.pk for r in rows], ["Phạm Thị Hồng", 5, ["a", {"b": 1}], True], strict=True))
    EventRecord.objects.filter(pk__in=list(values)).update(texts=ValueByKey(values))
    for row in rows:
        row.refresh_from_db()
        assert row.texts == values[row.pk]
