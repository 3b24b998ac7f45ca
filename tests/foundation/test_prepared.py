"""Prepared reads (lokalwillkommen/prepared.py) answer exactly what the ORM answers for the same
queryset, with each request's values, on SQLite and on PostgreSQL alike (``make test`` runs
this file on both)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.db import connection, models
from django.utils import timezone

from lokalwillkommen.prepared import Param, ParamList, Prepared
from lokalwillkommen.sessions import SessionStore
from offices.models import OpeningException, OpeningRule

pytestmark = pytest.mark.django_db


def _rules(valid_until):
    return OpeningRule.objects.rewrite(False).filter(
        models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=valid_until)
    )


def test_a_prepared_read_answers_what_the_queryset_answers_for_every_value(lanstrop):
    OpeningRule.objects.create(
        office=lanstrop,
        weekday=1,
        opens=time(14),
        closes=time(16),
        valid_from=date(2026, 1, 1),
        valid_until=date(2027, 3, 31),
    )
    read = Prepared(
        lambda: (
            _rules(Param("today", models.DateField()))
            .filter(office_id__in=ParamList("offices", models.BigIntegerField()))
            .order_by("weekday", "opens")
            .values_list("weekday", "opens", "closes", "valid_until")
        )
    )
    for today in (date(2027, 1, 1), date(2027, 6, 1)):
        expected = list(
            _rules(today)
            .filter(office_id__in=[lanstrop.pk])
            .order_by("weekday", "opens")
            .values_list("weekday", "opens", "closes", "valid_until")
        )
        found = read.rows(offices=[lanstrop.pk], today=today)
        assert found == expected
    # Types come back as the ORM gives them (times and dates, not strings).
    assert isinstance(found[0][1], time)
    # Spring's rule is over by June: the second call used its own value, not the first's.
    assert len(read.rows(offices=[lanstrop.pk], today=date(2027, 1, 1))) == len(found) + 1


def test_a_list_of_any_length_is_one_parameter_and_an_empty_list_matches_nothing(lanstrop):
    read = Prepared(
        lambda: (
            OpeningRule.objects.rewrite(False)
            .filter(office_id__in=ParamList("offices", models.BigIntegerField()))
            .values_list("office_id", flat=True)
        )
    )
    assert set(read.rows(offices=[lanstrop.pk, lanstrop.pk + 1000])) == {lanstrop.pk}
    assert read.rows(offices=[]) == []
    assert len(read._compiled) == 1


def test_shapes_are_compiled_apart_and_first_gives_one_row_or_none(lanstrop):
    def build(closures_only):
        exceptions = OpeningException.objects.rewrite(False).filter(
            office_id=Param("office", models.BigIntegerField())
        )
        if closures_only:
            exceptions = exceptions.filter(kind=OpeningException.Kind.CLOSED)
        return exceptions.order_by("date_from").values_list("date_from", "kind")[:1]

    read = Prepared(build)
    OpeningException.objects.create(
        office=lanstrop,
        kind=OpeningException.Kind.CLOSED,
        date_from=date(2027, 2, 4),
        date_until=date(2027, 2, 4),
    )
    assert read.first(True, office=lanstrop.pk) == (date(2027, 2, 4), "closed")
    assert read.first(False, office=lanstrop.pk + 1000) is None
    assert len(read._compiled) == 2


def test_an_aware_moment_is_compared_as_the_orm_compares_it(django_user_model):
    read = Prepared(
        lambda: django_user_model.objects.filter(
            date_joined__lt=Param("before", models.DateTimeField())
        ).values_list("username", flat=True)
    )
    joined = timezone.make_aware(datetime(2027, 1, 7, 23, 30))
    django_user_model.objects.create_user("late", date_joined=joined)
    assert read.rows(before=joined) == []
    assert read.rows(before=joined + timedelta(minutes=1)) == ["late"]


def test_the_session_read_finds_what_djangos_engine_wrote_and_not_an_expired_one():
    written = DjangoSessionStore()
    written["language"] = "ar"
    written.create()
    assert SessionStore(written.session_key)["language"] == "ar"
    written.set_expiry(-1)
    written.save()
    expired = SessionStore(written.session_key)
    assert "language" not in expired
    assert SessionStore("no-such-key").load() == {}


def test_the_read_runs_on_the_database_in_use():
    read = Prepared(lambda: OpeningRule.objects.values_list("id", flat=True)[:1])
    read.rows()
    assert next(iter(read._compiled))[1] == connection.vendor


def test_a_paginated_prepared_list_counts_and_reads_each_page_from_one_compiled_read(lanstrop):
    from django.core.paginator import Paginator

    from lokalwillkommen.prepared import PreparedList, counted

    for day in range(1, 8):
        OpeningException.objects.create(
            office=lanstrop,
            kind=OpeningException.Kind.CLOSED,
            date_from=date(2027, 3, day),
            date_until=date(2027, 3, day),
        )

    def build(office_only):
        found = OpeningException.objects.filter(date_from__gte=Param("since", models.DateField()))
        if office_only:
            found = found.filter(office_id=Param("office", models.BigIntegerField()))
        return found

    rows = Prepared(
        lambda order, office_only: (
            build(office_only).order_by(order, "id").values_list("date_from", flat=True)
        )
    )
    count = Prepared(lambda office_only: counted(build(office_only)))
    listed = PreparedList(
        rows,
        count,
        (True,),
        {"since": date(2027, 3, 2), "office": lanstrop.pk},
        order=("-date_from",),
    )
    pages = Paginator(listed, 4)
    assert pages.count == 6
    assert list(pages.page(1)) == [date(2027, 3, d) for d in (7, 6, 5, 4)]
    assert list(pages.page(2)) == [date(2027, 3, 3), date(2027, 3, 2)]
    assert len(rows._compiled) == 1


def test_a_list_read_as_ids_first_gives_each_page_in_order_and_counts_the_matches(lanstrop):
    from django.core.paginator import Paginator

    from lokalwillkommen.prepared import PreparedIds

    for day in (5, 1, 4, 2, 3):
        OpeningException.objects.create(
            office=lanstrop,
            kind=OpeningException.Kind.CLOSED,
            date_from=date(2027, 3, day),
            date_until=date(2027, 3, day),
            reason=f"day {day}",
        )
    ids = Prepared(
        lambda order: (
            OpeningException.objects.filter(date_from__gte=Param("since", models.DateField()))
            .order_by(order)
            .values_list("id", flat=True)
        )
    )
    by_id = Prepared(
        lambda: (
            OpeningException.objects.rewrite(False)
            .filter(id__in=ParamList("ids", models.BigIntegerField()))
            .values_list("id", "reason")
        )
    )
    listed = PreparedIds(ids, by_id, (), {"since": date(2027, 3, 2)}, order=("date_from",))
    pages = Paginator(listed, 3)
    assert pages.count == 4
    assert [reason for _pk, reason in pages.page(1)] == ["day 2", "day 3", "day 4"]
    assert [reason for _pk, reason in pages.page(2)] == ["day 5"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepared statements")
def test_on_postgresql_a_read_is_a_prepared_statement_and_other_queries_are_not(lanstrop):
    read = Prepared(
        lambda: OpeningRule.objects.filter(
            office_id=Param("office", models.BigIntegerField())
        ).values_list("weekday", flat=True)
    )
    before = _prepared_statements()
    assert read.rows(office=lanstrop.pk) == read.rows(office=lanstrop.pk)
    OpeningRule.objects.filter(office=lanstrop).count()  # an ordinary query
    added = _prepared_statements() - before
    assert len(added) == 1 and "offices_openingrule" in next(iter(added))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepared statements")
def test_on_postgresql_a_page_of_a_list_is_planned_once_not_on_every_request(lanstrop):
    """A page's limit is part of its statement: the server keeps one (generic) plan for it
    after its first runs instead of planning it again on every request, as it did while the
    limit was a parameter it could not estimate."""
    from lokalwillkommen.prepared import PreparedList, counted

    OpeningException.objects.bulk_create(
        OpeningException(
            office=lanstrop,
            kind=OpeningException.Kind.CLOSED,
            date_from=day,
            date_until=day,
        )
        for day in (date(2027, 3, 3) - timedelta(days=n) for n in range(3000))
    )
    with connection.cursor() as cursor:  # the statistics of a table in use, as in production
        cursor.execute("ANALYZE offices_openingexception")
    found = OpeningException.objects.filter(office_id=Param("office", models.BigIntegerField()))
    listed = PreparedList(
        Prepared(lambda: found.order_by("-date_from", "id").values_list("date_from", flat=True)),
        Prepared(lambda: counted(found)),
        (),
        {"office": lanstrop.pk},
    )
    for _ in range(8):
        assert listed[0:2] == [date(2027, 3, 3), date(2027, 3, 2)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%openingexception%ORDER BY%LIMIT%"],
        )
        ((generic, custom),) = cursor.fetchall()
    assert generic >= 3 and custom <= 5


def _prepared_statements() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


def test_values_a_read_fixes_are_compared_as_the_orm_compares_them(lanstrop):
    """Fixed values (not ``Param``) written into the SQL (``literals``): quotes and percent
    signs in them change nothing."""
    reasons = ("50 % weniger", "Sankt Martin's Tag", "Betriebsausflug", "100%")
    for day, reason in enumerate(reasons, start=1):
        OpeningException.objects.create(
            office=lanstrop,
            kind=OpeningException.Kind.CLOSED,
            date_from=date(2027, 3, day),
            date_until=date(2027, 3, day),
            reason=reason,
        )

    def build(office):
        return (
            OpeningException.objects.rewrite(False)
            .filter(office_id=office, date_from__gte=date(2027, 3, 1))
            .filter(
                models.Q(reason__in=("50 % weniger", "Sankt Martin's Tag"))
                | models.Q(reason__endswith="%")
            )
            .order_by("date_from")
            .values_list("reason", flat=True)
        )

    read = Prepared(lambda: build(Param("office", models.BigIntegerField())), literals=True)
    expected = list(build(lanstrop.pk))
    assert expected == ["50 % weniger", "Sankt Martin's Tag", "100%"]
    assert read.rows(office=lanstrop.pk) == expected
    assert read.rows(office=lanstrop.pk + 1000) == []


def _households(count, team, district, recorded_by, *, unknown_move_in_every=0):
    """``count`` households of ``team``, a third of them not yet visited ("new"), moved in
    over 300 days (every ``unknown_move_in_every``-th without a known date)."""
    from consultations.models import Household

    def moved_in(n):
        if unknown_move_in_every and n % unknown_move_in_every == 0:
            return None
        return date(2026, 1, 1) + timedelta(days=n % 300)

    Household.objects.bulk_create(
        Household(
            reference=f"T-{n:05d}",
            team=team,
            district=district,
            status="new" if n % 3 == 0 else "visited",
            moved_in_on=moved_in(n),
            consent_given_on=date(2026, 1, 1),
            consent_scope="casework",
            consent_recorded_by=recorded_by,
        )
        for n in range(count)
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepared statements")
def test_on_postgresql_the_kept_plan_of_the_not_yet_visited_list_uses_its_partial_index(
    alice, lanstrop_team, lanstrop_district
):
    """The dashboard's households not yet visited: the plan the server keeps for the prepared
    read (a generic one) reads the partial index of such households in order, rather than
    every household not yet visited sorted anew on each request."""
    from consultations import selectors

    _households(3000, lanstrop_team, lanstrop_district, alice)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE consultations_household")
    found = selectors._NOT_VISITED.rows(True, teams=[lanstrop_team.pk])
    assert [row[3] for row in found] == sorted(row[3] for row in found)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%consultations_household%moved_in_on% ASC NULLS LAST%"],
        )
        (name,) = cursor.fetchone()
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        try:
            cursor.execute(f"EXPLAIN EXECUTE {name}(%s)", [[lanstrop_team.pk]])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET plan_cache_mode")
    assert "household_not_visited_idx" in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_on_sqlite_the_not_yet_visited_list_reads_its_partial_index_in_order(
    alice, lanstrop_team, lanstrop_district
):
    """SQLite plans a statement for its text: with the statuses written in (``literals``) it
    reads the partial index of households not yet visited in order, the unknown move-in dates
    last, instead of sorting all of them on each request."""
    from consultations import selectors
    from consultations.models import Household

    _households(600, lanstrop_team, lanstrop_district, alice, unknown_move_in_every=7)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as seed_demo leaves the database (and PRAGMA optimize)
    compiled = selectors._NOT_VISITED._get((True,), "default", connection)
    params = compiled.bind({"teams": [lanstrop_team.pk]}, connection)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + compiled.sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "household_not_visited_idx" in plan and "TEMP B-TREE" not in plan, plan
    expected = list(
        Household.objects.filter(status__in=("new", "contacted"), team=lanstrop_team)
        .order_by(models.F("moved_in_on").asc(nulls_last=True), "created_at")
        .values_list("reference", flat=True)[: selectors.DASHBOARD_ROWS + 1]
    )
    assert [row[1] for row in selectors._NOT_VISITED.rows(True, teams=[lanstrop_team.pk])] == (
        expected
    )
