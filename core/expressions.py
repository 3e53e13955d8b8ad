"""`ValueByKey(mapping)`: in one UPDATE, each row takes its own value from a JSON object given once,
under the row's id. Django's `bulk_update` writes a `CASE WHEN id = … THEN …` for every row, whose
building costs more than the statement itself for a hundred rows (the dispatch of a batch's events
marks each with its own texts); here the mapping is one parameter and the database looks each row up.
PostgreSQL: `(%s::jsonb -> id::text)`. SQLite: `JSON_EXTRACT(%s, '$."<id>"')`, which gives a JSON string
back as bare text, so a string is quoted again (`JSON_QUOTE`) and any value reads back as written. For JSON
columns only (the value comes back as JSON)."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Func, JSONField, Value


class ValueByKey(Func):
    output_field = JSONField()

    def __init__(self, mapping: dict, key: str = "pk"):
        document = json.dumps({str(k): v for k, v in mapping.items()}, cls=DjangoJSONEncoder)
        super().__init__(Value(document), F(key))

    def as_sql(self, compiler, connection, **extra_context):
        document, key = self.get_source_expressions()
        document_sql, document_params = compiler.compile(document)
        key_sql, key_params = compiler.compile(key)
        params = [*document_params, *key_params]
        if connection.vendor == "postgresql":
            return f"(({document_sql})::jsonb -> ({key_sql})::text)", params
        path = f"""'$."' || {key_sql} || '"'"""
        value = f"JSON_EXTRACT({document_sql}, {path})"
        sql = f"CASE JSON_TYPE({document_sql}, {path}) WHEN 'text' THEN JSON_QUOTE({value}) ELSE {value} END"
        return sql, [*params, *params, *params]
