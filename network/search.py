"""The directory search: one precomputed document per offer and organisation.

A document holds every language of the record's texts (title, description, time note …),
its organisation's name, its place, the names of its category, target groups (offers) or kind
(organisations) in all eight interface languages, and the synonyms those words bring from the
synonym table (``SearchSynonym``, edited in the admin: "Sprachcafé" → "Sprachkurs, Deutschkurs,
language course, دورة لغة, мовний курс"). It is stored lower-cased in ``search_document``
and, on PostgreSQL, as ``search_vector``: the German texts stemmed as German, the English as
English, the Arabic as Arabic, Russian and Turkish names with their own stemmers, and the
whole document once more unstemmed (``simple``: Ukrainian, Persian and Tigrinya have no
stemmer in PostgreSQL, and names, parts of words and synonyms are matched as typed). A GIN
index on ``search_vector`` answers the query; no text is parsed per request but the query's.
On SQLite every word of the query must occur in the document.

The documents are written by the service functions that save offers and organisations, by the
admin, and in full by ``manage.py rebuild_search`` (after the synonym table or a translation
of a category changed; the admin's synonym page runs it on save). They are written with an
UPDATE past the model: an instance loaded before its document was written still holds the
old one, so save such an instance with ``update_fields`` (or load it again), not whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Expression, Q, QuerySet, Value
from django.utils import translation

from lokalwillkommen.categories import Need
from lokalwillkommen.content import CONTENT_LANGUAGES, columns

from .models import Offer, OfferTime, Organisation, SearchSynonym, TargetGroupCode
from .offer_times import TIME_FIELDS

# PostgreSQL text search configurations of the languages that have one.
CONFIGS = {"de": "german", "en": "english", "ar": "arabic", "ru": "russian", "tr": "turkish"}
INTERFACE_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
OFFER_TEXTS = ("title", "description", "time_note", "cost_note")
MAX_QUERY_WORDS = 8


@lru_cache(maxsize=4)
def _names_in_every_language(kind: str) -> dict[str, dict[str, str]]:
    """{code: {language: name}} of categories, target groups or organisation kinds."""
    choices = {
        "category": Need.choices,
        "target_group": TargetGroupCode.choices,
        "kind": Organisation.Kind.choices,
    }[kind]
    found: dict[str, dict[str, str]] = {}
    for language in INTERFACE_LANGUAGES:
        with translation.override(language):
            for value, label in choices:
                found.setdefault(value, {})[language] = str(label)
    return found


def normalise(text: str) -> str:
    return " ".join((text or "").casefold().split())


# A term matches at the start of a word, after the Arabic article and the particles written
# together with the word ("والرياضة": "and the sport").
_WORD_START = r"(?<![^\W_])(?:[وفبلك]?ال|[وفبلك])?"


def _synonyms() -> list[tuple[re.Pattern, str]]:
    return [
        (re.compile(_WORD_START + re.escape(normalise(term))), normalise(expansions))
        for term, expansions in SearchSynonym.objects.values_list("term", "expansions")
    ]


def _expand(text: str, synonyms: list[tuple[re.Pattern, str]]) -> str:
    """The expansions of every synonym whose term begins a word of ``text`` (lower-cased):
    "Sprachcafés" brings those of "sprachcafé"."""
    return " ".join(
        expansions.replace(",", " ") for term, expansions in synonyms if term.search(text)
    )


class Document:
    """The parts of one record's document: by stemming language, and all of it (and an
    offer's times, written with it)."""

    def __init__(self):
        self.by_language: dict[str, list[str]] = {code: [] for code in CONFIGS}
        self.times: list | None = None

    def add(self, language: str, text: str) -> None:
        if text:
            self.by_language.setdefault(language, []).append(text)

    def build(self, synonyms) -> tuple[str, dict[str, str]]:
        parts = {code: normalise(" ".join(texts)) for code, texts in self.by_language.items()}
        whole = " ".join(part for part in parts.values() if part)
        expansions = normalise(_expand(whole, synonyms))
        return normalise(f"{whole} {expansions} {_bare_words(whole)}"), parts


def _offer_documents(offer_ids) -> Iterable[tuple[int, Document]]:
    fields = [
        "id",
        "text_language",
        "category",
        "place",
        "organisation__name",
        *(name for field in OFFER_TEXTS for name in columns(field)),
    ]
    rows = Offer.objects.filter(pk__in=offer_ids).values(*fields)
    groups: dict[int, list[str]] = {}
    for offer_id, code in Offer.target_groups.through.objects.filter(
        offer_id__in=offer_ids
    ).values_list("offer_id", "targetgroup__code"):
        groups.setdefault(offer_id, []).append(code)
    categories = _names_in_every_language("category")
    group_names = _names_in_every_language("target_group")
    times = times_digests(offer_ids)
    for row in rows:
        document = Document()
        document.times = times.get(row["id"], [])
        for language in CONTENT_LANGUAGES:
            for field in OFFER_TEXTS:
                document.add(language, row[f"{field}_{language}"] or "")
        document.add("de", row["place"] or "")
        document.add("de", row["organisation__name"] or "")
        for language, name in categories.get(row["category"], {}).items():
            document.add(language, name)
        for code in groups.get(row["id"], ()):
            for language, name in group_names.get(code, {}).items():
                document.add(language, name)
        yield row["id"], document


def _organisation_documents(organisation_ids) -> Iterable[tuple[int, Document]]:
    rows = Organisation.objects.filter(pk__in=organisation_ids).values(
        "id", "name", "address", "kind", *columns("description")
    )
    kinds = _names_in_every_language("kind")
    for row in rows:
        document = Document()
        document.add("de", row["name"])
        document.add("de", row["address"])
        for language in CONTENT_LANGUAGES:
            document.add(language, row[f"description_{language}"] or "")
        for language, name in kinds.get(row["kind"], {}).items():
            document.add(language, name)
        yield row["id"], document


def _vector_sql() -> str:
    pieces = [f"to_tsvector('{config}', %s)" for config in CONFIGS.values()]
    pieces.append("to_tsvector('simple', %s)")
    return " || ".join(pieces)


def times_digests(offer_ids) -> dict[int, list]:
    """Each offer's times as plain JSON values (``offer_times.TIME_FIELDS``: weekdays, week
    of the month, "HH:MM" from and to, ISO dates), in one query."""
    found: dict[int, list] = {}
    rows = (
        OfferTime.objects.filter(offer_id__in=offer_ids)
        .order_by("date_from", "weekdays", "starts", "id")
        .values_list("offer_id", *TIME_FIELDS)
    )
    for offer_id, weekdays, week, starts, ends, first, last in rows:
        found.setdefault(offer_id, []).append(
            [
                weekdays,
                week,
                starts.strftime("%H:%M") if starts else None,
                ends.strftime("%H:%M") if ends else None,
                first.isoformat() if first else None,
                last.isoformat() if last else None,
            ]
        )
    return found


def _write(model, documents: Iterable[tuple[int, Document]]) -> int:
    synonyms = _synonyms()
    table = model._meta.db_table
    rows = []
    for pk, document in documents:
        whole, parts = document.build(synonyms)
        rows.append((pk, whole, parts, document.times))
    if not rows:
        return 0
    times = ", times_digest = %s" if model is Offer else ""

    def extra(digest):
        return (json.dumps(digest, separators=(",", ":")),) if model is Offer else ()

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                f"UPDATE {table} SET search_document = %s, search_vector = {_vector_sql()}"
                f"{times} WHERE id = %s",
                [
                    (whole, *(parts.get(code, "") for code in CONFIGS), whole, *extra(t), pk)
                    for pk, whole, parts, t in rows
                ],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET search_document = %s{times} WHERE id = %s",
                [(whole, *extra(t), pk) for pk, whole, _parts, t in rows],
            )
    return len(rows)


def offer_index(*, offer_ids: Iterable[int]) -> int:
    """Write the documents (and times digests) of these offers anew."""
    offer_ids = list(offer_ids)
    return _write(Offer, _offer_documents(offer_ids)) if offer_ids else 0


def organisation_index(*, organisation_ids: Iterable[int]) -> int:
    """Write the documents of these organisations anew, and of their offers (which hold the
    organisation's name)."""
    organisation_ids = list(organisation_ids)
    if not organisation_ids:
        return 0
    count = _write(Organisation, _organisation_documents(organisation_ids))
    offer_ids = Offer.objects.filter(organisation_id__in=organisation_ids).values_list(
        "pk", flat=True
    )
    return count + offer_index(offer_ids=list(offer_ids))


def rebuild(*, batch: int = 500) -> tuple[int, int]:
    """Every document anew: (organisations, offers)."""
    _names_in_every_language.cache_clear()
    counts = []
    for model, documents in ((Organisation, _organisation_documents), (Offer, _offer_documents)):
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        counts.append(
            sum(_write(model, documents(ids[n : n + batch])) for n in range(0, len(ids), batch))
        )
    return counts[0], counts[1]


def merge_index() -> None:
    """SQLite: merge the trigram index's segments into one (FTS5's ``optimize``), after many
    documents were written (``rebuild_search``, the large demo). Every transaction that
    writes documents adds a segment, which a search reads too until FTS5 merges them on its
    own; after the 5,000-household demo, 13 segments made "sprachcafé" 0.48 ms instead of
    0.24 ms."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for model in (Offer, Organisation):
            index = f"{model._meta.db_table}_search"
            cursor.execute(f"INSERT INTO {index}({index}) VALUES ('optimize')")


# The query ------------------------------------------------------------------------------


def query_words(q: str) -> list[str]:
    """The words of a query, lower-cased (letters, digits and marks of any script)."""
    return re.findall(r"[^\W_]+", normalise(q))[:MAX_QUERY_WORDS]


# The Arabic article and the particles written together with a word: "والرياضة" is "and the
# sport". Documents hold each such word also without them, and a query word is matched with
# and without them, so "الرياضة", "رياضة" and "والرياضة" find each other.
_ARABIC_PREFIX = re.compile(r"^(?:[وفبلك]?ال|[وفبلك])(?=[\u0621-\u064a]{3})")


def _bare(word: str) -> str:
    return _ARABIC_PREFIX.sub("", word)


def _bare_words(text: str) -> str:
    return " ".join(bare for word in re.findall(r"[^\W_]+", text) if (bare := _bare(word)) != word)


def _stemmers(text: str) -> list[str]:
    """The stemming configurations worth asking for the scripts the query is written in
    (fewer alternatives: a cheaper match per row, and a better estimate for the planner)."""
    found = []
    if re.search(r"[a-zà-ÿğışçöüß]", text):
        found += [CONFIGS["de"], CONFIGS["en"]]
    if re.search(r"[\u0400-\u04ff]", text):
        found.append(CONFIGS["ru"])
    if re.search(r"[\u0600-\u06ff]", text):
        found.append(CONFIGS["ar"])
    return found


class _Holds(Expression):
    """SQLite: the record's document holds ``word`` anywhere (as ``LIKE '%word%'`` finds it),
    read from the trigram index of its table (migration network 0016). A word of three
    letters or more is asked of the index as a phrase of its trigrams (``MATCH``), which the
    index answers alone; as ``LIKE`` the index only proposes the documents, and each one is
    read from the table and compared (0.7 against 0.25 ms for "sprachcafé" in 163 of 1,274
    offers). The index has no trigram of a shorter word: ``LIKE`` on the table's documents,
    which reads every one (the index's own ``LIKE`` found no two-letter word with a letter
    outside ASCII, "fé", counting its bytes as three letters)."""

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, word, indexed: bool):
        super().__init__()
        self.word = word
        self.indexed = indexed

    def get_source_expressions(self):
        return [self.word]

    def set_source_expressions(self, exprs):
        (self.word,) = exprs

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        index = f"{compiler.query.model._meta.db_table}_search"
        word, params = compiler.compile(self.word)
        if not self.indexed:
            return f"{table}.\"search_document\" LIKE '%%' || {word} || '%%'", params
        # an FTS5 string: the word in double quotes, any double quote in it doubled
        phrase = f"'\"' || replace({word}, '\"', '\"\"') || '\"'"
        return f'{table}."id" IN (SELECT rowid FROM {index} WHERE {index} MATCH {phrase})', params


def terms(q: str) -> tuple[tuple, dict]:
    """``q`` for a prepared read (lokalwillkommen/prepared.py): the shape of its condition
    (empty for no search) and the values ``matching_read`` leaves as parameters."""
    words = query_words(q)
    if not words:
        return (), {}
    if connection.vendor == "postgresql":
        text = " ".join(words)
        return ("postgresql", tuple(_stemmers(text))), {
            "q_prefixes": _prefixes(words),
            "q_text": text,
        }
    values = {}
    for n, word in enumerate(words):
        values[f"q_word{n}"] = word
        if _bare(word) != word:
            values[f"q_bare{n}"] = _bare(word)
    # per word: whether it is long enough for the trigram index (the word without an article
    # or particle always is), and whether it is also looked for without one
    return (
        "sqlite",
        tuple((len(word) >= 3, f"q_bare{n}" in values) for n, word in enumerate(words)),
    ), values


def matching_read(qs: QuerySet, shape: tuple) -> QuerySet:
    """``qs`` narrowed by the condition of ``terms``'s shape, its words as parameters."""
    from lokalwillkommen.prepared import Param

    return _narrowed(qs, shape, lambda name: Param(name, models.TextField()))


def _narrowed(qs: QuerySet, shape: tuple, value) -> QuerySet:
    """The condition of ``terms``'s shape; ``value(name)`` is the expression of a value."""
    if not shape:
        return qs
    if shape[0] == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        query = SearchQuery(value("q_prefixes"), config="simple", search_type="raw")
        for config in shape[1]:
            query = query | SearchQuery(value("q_text"), config=config)
        return qs.filter(search_vector=query)
    condition = Q()
    for n, (indexed, bare) in enumerate(shape[1]):
        found = Q(_Holds(value(f"q_word{n}"), indexed))
        if bare:
            found |= Q(_Holds(value(f"q_bare{n}"), True))
        condition &= found
    return qs.filter(condition)


def _prefixes(words: list[str]) -> str:
    return " & ".join(f"({w}:* | {_bare(w)}:*)" if _bare(w) != w else f"{w}:*" for w in words)


def matching(qs: QuerySet, q: str) -> QuerySet:
    """``qs`` (offers or organisations) narrowed to those whose document matches ``q``."""
    shape, values = terms(q)
    return _narrowed(qs, shape, lambda name: Value(values[name]))
