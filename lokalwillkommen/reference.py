"""Reference rows: districts, languages, teams, offices, target groups and skills.

Almost every page lists some of them (filters, forms, labels), and they change a few times a
year, so what is read from them is held in each process under a shared version
(``caching.reference``): no query on a page, a change shows on every app server within
seconds. The migration creates the fixed rows; ``ensure_reference_data`` puts them back where a
test flushed the tables.
"""

from __future__ import annotations

from typing import NamedTuple

from django.contrib.auth.models import Group
from django.utils import translation

from .caching import reference
from .languages import LANGUAGE_NAMES, language_label
from .models import District, Language
from .roles import ROLE_GROUPS


class Row(NamedTuple):
    id: int
    key: str  # slug or code: what addresses and forms use
    name: str  # the name as stored (translated labels come from ``labels``)


def _rows(kind: str) -> tuple[Row, ...]:
    from network.models import Skill, TargetGroup
    from offices.models import Office, Team

    queries = {
        "offices": Office.objects.order_by("name").values_list("id", "slug", "name"),
        "districts": District.objects.order_by("name").values_list("id", "slug", "name"),
        "languages": Language.objects.order_by("name").values_list("id", "code", "name"),
        "teams": Team.objects.order_by("name").values_list("id", "slug", "name"),
        "target_groups": TargetGroup.objects.order_by("id").values_list("id", "code", "code"),
        "skills": Skill.objects.order_by("id").values_list("id", "code", "code"),
    }
    return tuple(Row(*values) for values in queries[kind])


def rows(kind: str) -> tuple[Row, ...]:
    """All rows of ``kind`` ("districts", "languages", "teams", "offices", "target_groups",
    "skills")."""
    return reference.get(kind, lambda: _rows(kind))


def by_key(kind: str) -> dict[str, Row]:
    return reference.get(("by_key", kind), lambda: {row.key: row for row in rows(kind)})


def by_id(kind: str) -> dict[int, Row]:
    return reference.get(("by_id", kind), lambda: {row.id: row for row in rows(kind)})


def office_team_ids() -> dict[int, int]:
    """The team of each office, by office id."""
    from offices.models import Office

    return reference.get("office_teams", lambda: dict(Office.objects.values_list("id", "team_id")))


def neighbours() -> dict[int, frozenset[int]]:
    """The neighbouring districts of each district, by district id (both ways)."""

    def build():
        found: dict[int, set[int]] = {}
        pairs = District.neighbours.through.objects.values_list("from_district_id",
                                                                "to_district_id")
        for a, b in pairs:
            found.setdefault(a, set()).add(b)
            found.setdefault(b, set()).add(a)
        return {district: frozenset(ids) for district, ids in found.items()}

    return reference.get("neighbours", build)


def _label(kind: str, row: Row) -> str:
    if kind == "languages":
        return language_label(row.key, row.name)
    if kind == "target_groups":
        from network.models import TargetGroupCode

        return str(TargetGroupCode(row.key).label)
    if kind == "skills":
        from network.models import SkillCode

        return str(SkillCode(row.key).label)
    return row.name


def labels(kind: str, language: str | None = None) -> dict[int, str]:
    """Each row's name in ``language`` (the active language), by id."""
    language = language or translation.get_language()

    def build():
        with translation.override(language):
            return {row.id: _label(kind, row) for row in rows(kind)}

    return reference.get(("labels", kind, language), build)


def choices(kind: str, language: str | None = None) -> list[tuple[str, str]]:
    """(key, label) pairs for a select, sorted by the label in ``language``."""
    language = language or translation.get_language()

    def build():
        names = labels(kind, language)
        pairs = [(row.key, names[row.id]) for row in rows(kind)]
        return sorted(pairs, key=lambda pair: pair[1].casefold()) if kind == "languages" else pairs

    return reference.get(("choices", kind, language), build)


def ensure_reference_data() -> None:
    from network.models import Skill, SkillCode, TargetGroup, TargetGroupCode

    for code in TargetGroupCode.values:
        TargetGroup.objects.get_or_create(code=code)
    for code in SkillCode.values:
        Skill.objects.get_or_create(code=code)
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)
    existing = set(Language.objects.values_list("code", flat=True))
    with translation.override("en"):
        Language.objects.bulk_create(
            Language(code=code, name=str(name))
            for code, name in LANGUAGE_NAMES.items()
            if code not in existing
        )
    reference.changed()  # bulk_create sends no signals
