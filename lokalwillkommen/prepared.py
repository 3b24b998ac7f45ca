"""Reads whose SQL the ORM writes once per process, not on every request.

Building and compiling a queryset costs more than running it: on the machines we measured, a
filtered ``values_list`` with an ordering takes about 0.5 ms to turn into SQL and 0.05 ms for
SQLite or PostgreSQL to answer. The reads every page makes (the session, the signed-in account,
office hours, the directory's cards, the household list) are written once as a queryset, with
``Param`` where a request brings its own value, and ``Prepared`` keeps the SQL the ORM compiled
for it (per database alias and a ``shape`` key, e.g. the language or whether the list is limited
to some teams) together with the compiler's converters for the rows, applied as Django
applies them when it runs the queryset (``SQLCompiler.results_iter``).

The queryset stays the one place the read is written: scoping, ordering and joins are Django's.
What it cannot hold: values that change the SQL's text (a slice's bounds become part of the key;
an ``__in`` over a list takes ``ParamList``, one parameter for the whole list).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cache
from threading import Lock

from django.conf import settings
from django.db import connections, models
from django.db.models import Expression, Func, QuerySet

try:  # psycopg (PostgreSQL) is installed with the portal; SQLite needs nothing of it
    import psycopg

    class _PreparingCursor(psycopg.Cursor):
        """Server-side binding, every statement prepared (psycopg keeps the most recent 100
        per connection)."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

except ImportError:  # pragma: no cover
    _PreparingCursor = None


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
    SQLite: a JSON array read with ``json_each``), so the SQL stays the same. On PostgreSQL
    the prepared read compares with ``= ANY(array)``: as ``IN (SELECT unnest(array))`` the
    kept plan read all 2,559 languages of 1,250 offers into a hash for the twenty of a page
    (0.9 ms; 0.1 ms from the index with ``= ANY``)."""

    def as_sql(self, compiler, connection):
        slot = [_Slot(self.name, self.output_field, True)]
        if connection.vendor == "postgresql":
            return f"SELECT unnest(%s::{self.output_field.db_type(connection)}[])", slot
        return "SELECT value FROM json_each(%s)", slot


@cache
def model_columns(model: type[models.Model]) -> tuple[str, ...]:
    """The columns of ``model`` (attribute names), for a read that builds instances."""
    return tuple(field.attname for field in model._meta.concrete_fields)


def instance(model: type[models.Model], row: tuple, using: str = "default") -> models.Model:
    """An instance of ``model`` from the first ``model_columns(model)`` values of ``row``, as
    the ORM builds one from a row it read."""
    columns = model_columns(model)
    return model.from_db(using, columns, row[: len(columns)])


class _CountAll(Func):
    """``COUNT(*)`` as a plain expression: selected alone, it counts the filtered rows without
    the GROUP BY an aggregate in ``values_list`` would bring."""

    template = "COUNT(*)"
    contains_aggregate = False
    output_field = models.BigIntegerField()


def counted(queryset: QuerySet) -> QuerySet:
    """The read of how many rows ``queryset`` has (for ``Prepared``): ``SELECT COUNT(*)``."""
    return queryset.order_by().values_list(_CountAll(), flat=True)


class _Compiled:
    __slots__ = ("compiler", "sql", "params", "flat", "converters")

    def __init__(self, queryset: QuerySet, using: str, literals: bool = False):
        self.compiler = compiler = queryset.query.get_compiler(using)
        self.sql, self.params = compiler.as_sql()
        connection = connections[using]
        if connection.vendor == "postgresql":
            # x IN (SELECT unnest(list)) as x = ANY(list): the server then reads the index for
            # the list's values rather than the whole table into a hash (see ParamList)
            self.sql = _IN_UNNEST.sub(r"= ANY(%s::\1[])", self.sql)
        if literals:
            self.sql, self.params = _written_in(self.sql, self.params, connection)
        # values_list(flat=True): Django's iterable, or django-modeltranslation's of that name
        self.flat = queryset._iterable_class.__name__.endswith("FlatValuesListIterable")
        # What SQLCompiler.results_iter finds for every run, found once.
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ValueError("a prepared read selects no composite primary key")
        self.converters = compiler.get_converters(fields)

    def convert(self, fetched: list) -> list:
        if not self.converters:
            rows = fetched
        else:
            rows = self.compiler.apply_converters(fetched, self.converters)
        if self.flat:
            return [row[0] for row in rows]
        return list(map(tuple, rows))

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


_PLACEHOLDER = re.compile(r"%%|%s")
_IN_UNNEST = re.compile(r"IN \(SELECT unnest\(%s::([a-z ]+)\[\]\)\)")


def _written_in(sql: str, params: tuple, connection) -> tuple[str, list]:
    """The SQL with the values the queryset fixes (``status__in=("new", "contacted")``, not a
    ``Param``) written in as literals, quoted as the database's driver quotes parameters
    (psycopg's quoting on PostgreSQL, Django's SQLite schema editor's on SQLite).

    Neither database can use a partial index whose condition names such a value when the
    value is a parameter. PostgreSQL keeps one generic plan for a prepared statement after its
    first runs, planned for any value; SQLite plans every statement for the SQL's text. The
    dashboard's households not yet visited at 5,000 households: reading and sorting every
    household not yet visited took 0.7 ms (PostgreSQL) and 0.33 ms (SQLite), reading
    ``household_not_visited_idx`` in order 0.1 and 0.02 ms. Only for reads that ask for it
    (``Prepared(..., literals=True)``): with its values written in, the directory search's
    estimate changed from a few matches to hundreds and its plan from the search index
    (0.8 ms) to reading every offer (3.8 ms)."""
    if connection.vendor == "postgresql":
        quoted = lambda value: connection.ops.compose_sql("%s", [value])  # noqa: E731
    else:
        quoted = connection.schema_editor().quote_value
    kept = []
    values = iter(params)

    def write(match):
        if match.group(0) == "%%":
            return "%%"
        value = next(values)
        if isinstance(value, _Slot):
            kept.append(value)
            return "%s"
        return quoted(value).replace("%", "%%")

    return _PLACEHOLDER.sub(write, sql), kept


def _cursor(connection):
    """Django's cursor; on PostgreSQL (unless ``LW_PG_PREPARED`` is off) one that binds the
    parameters on the server and runs the read as a prepared statement, so the server plans
    it once per connection rather than on every request (planning a join costs it more than
    running it). Wrapped as Django wraps every cursor: errors, query logging, wrappers."""
    if connection.vendor != "postgresql" or not settings.LW_PG_PREPARED:
        return connection.cursor()
    if connection.queries_logged:
        # DEBUG, or a test counting queries: Django's cursor, which logs each query's text
        # (psycopg keeps no text of a prepared statement to log).
        return connection.cursor()
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django turns psycopg's preparing off (None); a threshold no query reaches leaves
        # every other query as Django runs it and lets these ask for it (prepare=True).
        raw.prepare_threshold = 2**31
    return connection._prepare_cursor(_PreparingCursor(raw))


class Prepared:
    """A read built by ``build(*shape)`` (a ``values_list`` queryset, ``flat=True`` or not)
    and compiled once per database and shape; ``rows(shape, **values)`` runs it."""

    MAX_SHAPES = 256

    def __init__(self, build: Callable[..., QuerySet], *, literals: bool = False):
        """``literals``: write the values the queryset fixes into the SQL (see
        ``_written_in``), for a read whose plan needs them: a partial index's condition."""
        self.build = build
        self.literals = literals
        self._compiled: dict[tuple, _Compiled] = {}
        self._lock = Lock()

    def _get(self, shape: tuple, using: str, connection) -> _Compiled:
        key = (using, connection.vendor, shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = _Compiled(self.build(*shape), using, self.literals)
            with self._lock:
                if len(self._compiled) >= self.MAX_SHAPES:
                    self._compiled.clear()
                self._compiled[key] = compiled
        return compiled

    def rows(
        self, *shape: Hashable, using: str = "default", page: slice | None = None, **values
    ) -> list:
        """The rows for these values; ``page`` (a slice with a start and a stop) adds
        ``LIMIT``/``OFFSET`` as numbers in the SQL, not parameters: a list's pages are then
        one statement per page number (the first, mostly), and PostgreSQL, which knows the
        limit, keeps one plan for it. With the limit a parameter it plans for an unknown
        number of rows, finds that plan dearer than planning each run anew, and plans the
        read again on every request (0.85 ms for the household list at 5,000 households,
        more than running it)."""
        connection = connections[using]
        compiled = self._get(shape, using, connection)
        sql, params = compiled.sql, compiled.bind(values, connection)
        if page is not None:
            sql += f" LIMIT {int(page.stop - page.start)} OFFSET {int(page.start)}"
        with _cursor(connection) as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        return compiled.convert(fetched)

    def first(self, *shape: Hashable, using: str = "default", **values):
        """The first row, or None (the queryset should be sliced ``[:1]``)."""
        found = self.rows(*shape, using=using, **values)
        return found[0] if found else None

    def count(self, *shape: Hashable, using: str = "default", **values) -> int:
        """For a read built with ``counted``: the number."""
        return self.rows(*shape, using=using, **values)[0]

    def forget(self) -> None:
        """Compile again on the next call (tests that change the schema or settings)."""
        self._compiled.clear()


class PreparedList:
    """The rows of a prepared read, and their number, for Django's ``Paginator``: it asks
    ``count()`` once and slices one page (``LIMIT``/``OFFSET``)."""

    def __init__(
        self, rows: Prepared, count: Prepared, shape: tuple, values: dict, *, order: tuple = ()
    ):
        """``shape`` is the shape of both reads; the rows' shape begins with ``order`` (what
        decides only their order, e.g. the language of the titles they are sorted by)."""
        self._rows, self._count, self._values = rows, count, values
        self._shape, self._count_shape = order + shape, shape

    def count(self) -> int:
        return self._count.count(*self._count_shape, **self._values)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("a prepared list is read by pages (slices without a step)")
        start, stop = index.start or 0, index.stop
        return self._rows.rows(*self._shape, page=slice(start, stop), **self._values)

    def __iter__(self):
        return iter(self._rows.rows(*self._shape, **self._values))


class PreparedIds:
    """Like ``PreparedList``, for a filter that finds few rows among many (a search): the ids
    of all matches in order in one read (their number is its length), then the rows of one
    page by id. Counting and paging separately would look for the matches twice."""

    def __init__(
        self,
        ids: Prepared,
        rows_by_id: Prepared,
        shape: tuple,
        values: dict,
        *,
        order: tuple = (),
    ):
        """``ids``: a flat read of the ids, built by ``order + shape``; ``rows_by_id``: the
        rows whose first column is the id, for the list parameter ``ids``."""
        self._ids_read, self._rows_by_id = ids, rows_by_id
        self._shape, self._values = order + shape, values
        self._ids: list | None = None

    def _all(self) -> list:
        if self._ids is None:
            self._ids = self._ids_read.rows(*self._shape, **self._values)
        return self._ids

    def count(self) -> int:
        return len(self._all())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        wanted = self._all()[index]
        position = {pk: n for n, pk in enumerate(wanted)}
        rows = self._rows_by_id.rows(ids=wanted) if wanted else []
        return sorted(rows, key=lambda row: position[row[0]])

    def __iter__(self):
        return iter(self[:])
