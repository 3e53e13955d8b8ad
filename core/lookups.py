"""`field__any_of=[…]`: a field equal to one of many values, sent as one parameter.

`__in` writes one placeholder per value. For a list of hundreds or thousands of ids (a council member's
agenda) Django prepares every value and the driver splits the statement at every placeholder, for each
time the condition appears (a list page repeats its scope in the filter choices), which costs more than
the query itself. On PostgreSQL this lookup sends the list as one array, `= ANY(%s)`, which the planner
serves from the same index as `IN`; elsewhere (SQLite) it is `IN (…)`.
"""

from django.db.models import Field, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [field.get_db_prep_value(value, connection, prepared=False) for value in self.rhs]
        if connection.vendor == "postgresql":
            # typed, so that the index of the column serves it whatever type the driver would guess
            return f"{lhs} = ANY(%s::{field.db_type(connection)}[])", [*lhs_params, values]
        if not values:
            return "0 = 1", list(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


def register() -> None:
    Field.register_lookup(AnyOf)
