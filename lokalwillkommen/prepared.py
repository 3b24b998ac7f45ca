"""Reads whose SQL the ORM writes once per process, not on every request.

Building and compiling a queryset costs more than running it: on the machines we measured, a
filtered ``values_list`` with an ordering takes about 0.5 ms to turn into SQL and 0.05 ms for
SQLite or PostgreSQL to answer. The reads every page makes (the session, the signed-in account,
office hours, the directory's cards, the household list) are written once as a queryset, with
``Param`` where a request brings its own value, and ``Prepared`` keeps the SQL the ORM compiled
for it (per database alias and a ``shape`` key, e.g. the language or whether the list is limited
to some teams) together with the compiler that converts the rows, exactly as Django does when it
runs the queryset (``SQLCompiler.results_iter``).

The queryset stays the one place the read is written: scoping, ordering and joins are Django's.
What it cannot hold: values that change the SQL's text (a slice's bounds become part of the key;
an ``__in`` over a list takes ``ParamList``, one parameter for the whole list).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from threading import Lock

from django.db import connections, models
from django.db.models import Expression, QuerySet


@dataclass(frozen=True)
class _Slot:
    """Where a request's value goes in the compiled parameters."""

    name: str
    field: models.Field
    many: bool


class Param(Expression):
    """A value given when the prepared read runs: ``filter(slug=Param("slug", CharField()))``.
    The field converts the value for the database as the ORM would (a date, an aware
    datetime)."""

    def __init__(self, name: str, output_field: models.Field):
        super().__init__(output_field=output_field)
        self.name = name

    def __repr__(self):
        return f"{self.__class__.__name__}({self.name!r})"

    def as_sql(self, compiler, connection):
        return "%s", [_Slot(self.name, self.output_field, False)]


class ParamList(Param):
    """A list given when the read runs, for ``__in``: ``filter(id__in=ParamList("ids",
    BigIntegerField()))``. One parameter whatever the list's length (PostgreSQL: an array;
    SQLite: a JSON array read with ``json_each``), so the SQL stays the same."""

    def as_sql(self, compiler, connection):
        slot = [_Slot(self.name, self.output_field, True)]
        if connection.vendor == "postgresql":
            return f"SELECT unnest(%s::{self.output_field.db_type(connection)}[])", slot
        return "SELECT value FROM json_each(%s)", slot


class _Compiled:
    __slots__ = ("compiler", "sql", "params", "flat")

    def __init__(self, queryset: QuerySet, using: str):
        self.compiler = queryset.query.get_compiler(using)
        self.sql, self.params = self.compiler.as_sql()
        self.flat = queryset._iterable_class.__name__ == "FlatValuesListIterable"

    def bind(self, values: dict, connection) -> list:
        bound = []
        for param in self.params:
            if not isinstance(param, _Slot):
                bound.append(param)
                continue
            value = values[param.name]
            if param.many:
                items = [param.field.get_db_prep_value(v, connection) for v in value]
                bound.append(items if connection.vendor == "postgresql" else json.dumps(items))
            else:
                bound.append(param.field.get_db_prep_value(value, connection))
        return bound


class Prepared:
    """A read built by ``build(*shape)`` (a ``values_list`` queryset, ``flat=True`` or not)
    and compiled once per database and shape; ``rows(shape, **values)`` runs it."""

    MAX_SHAPES = 256

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: dict[tuple, _Compiled] = {}
        self._lock = Lock()

    def rows(self, *shape: Hashable, using: str = "default", **values) -> list:
        connection = connections[using]
        key = (using, connection.vendor, shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = _Compiled(self.build(*shape), using)
            with self._lock:
                if len(self._compiled) >= self.MAX_SHAPES:
                    self._compiled.clear()
                self._compiled[key] = compiled
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, compiled.bind(values, connection))
            fetched = cursor.fetchall()
        rows = compiled.compiler.results_iter(results=[fetched], tuple_expected=True)
        if compiled.flat:
            return [row[0] for row in rows]
        return list(rows)

    def first(self, *shape: Hashable, using: str = "default", **values):
        """The first row, or None (the queryset should be sliced ``[:1]``)."""
        found = self.rows(*shape, using=using, **values)
        return found[0] if found else None

    def forget(self) -> None:
        """Compile again on the next call (tests that change the schema or settings)."""
        self._compiled.clear()
