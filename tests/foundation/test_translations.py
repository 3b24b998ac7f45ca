"""Every visible string is translated into German, Arabic and Ukrainian, the catalogues
match the code, and the compiled catalogues are present (no gettext needed to run)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
CATALOGUES = [Path(p) for p in settings.LOCALE_PATHS]
LANGS = ["de", "ar", "uk", "fa", "tr", "ru", "ti"]


def _po_files():
    for locale_dir in CATALOGUES:
        for lang in LANGS:
            po = locale_dir / lang / "LC_MESSAGES" / "django.po"
            if po.exists():
                yield po


@pytest.mark.parametrize("po_path", list(_po_files()), ids=str)
def test_catalogue_has_no_empty_or_fuzzy_entries(po_path):
    po = polib.pofile(str(po_path))
    empty = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags and not e.obsolete]
    assert not empty, f"untranslated in {po_path}: {empty[:10]}"
    assert not fuzzy, f"fuzzy in {po_path}: {fuzzy[:10]}"


@pytest.mark.parametrize("po_path", list(_po_files()), ids=str)
def test_compiled_catalogue_matches_its_source(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run 'make messages'"
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(mo_path))}
    source = {e.msgid: e.msgstr for e in polib.pofile(str(po_path)).translated_entries()}
    assert compiled == {k: v for k, v in source.items() if k}, f"{mo_path} is stale"


def _msgids(root: Path) -> dict[str, set[str]]:
    found = {}
    for locale_dir in CATALOGUES:
        po = root / locale_dir.relative_to(BASE) / "de" / "LC_MESSAGES" / "django.po"
        if po.exists():
            found[str(locale_dir.relative_to(BASE))] = {
                e.msgid for e in polib.pofile(str(po)) if not e.obsolete
            }
    return found


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="needs GNU gettext (apt-get install gettext)"
)
def test_catalogues_contain_exactly_the_strings_of_the_code(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(
        BASE,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "staticfiles", "test-results", "node_modules", "*.sqlite3", "static"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "de",
            "--no-location",
            "--no-obsolete",
            "--ignore=.venv",
            "--ignore=staticfiles",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "DJANGO_DEBUG": "1",
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "lokalwillkommen.settings",
        },
    )
    assert _msgids(copy) == _msgids(BASE), "catalogues are stale: run 'make messages'"


# Text between tags that is not inside {% translate %} / {% blocktranslate %} is a string a
# translator never sees. Proper names and addresses are allowed.
ALLOWED_RAW_TEXT = {
    "Friedensplatz 1",
    "44135 Dortmund",
    "–",
    "·",
    ":",
    "(",
    ")",
    ",",
    "lw",
    "Leichte Sprache",  # the name of easy German, always written in German
}


def _untranslated_text(source: str) -> list[str]:
    source = re.sub(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", " ", source, flags=re.S)
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    source = re.sub(r"<!--.*?-->", " ", source, flags=re.S)
    texts = []
    for chunk in re.split(r"<[^>]*>", source):
        text = " ".join(chunk.split())
        if text and re.search(r"[A-Za-zÄÖÜäöüß]", text) and text not in ALLOWED_RAW_TEXT:
            texts.append(text)
    return texts


@pytest.mark.parametrize(
    "template", sorted(str(p.relative_to(BASE)) for p in (BASE / "templates").rglob("*.html"))
)
def test_template_has_no_text_outside_translation_tags(template):
    source = (BASE / template).read_text(encoding="utf-8")
    assert _untranslated_text(source) == []


def test_attribute_texts_are_translated_too():
    offenders = []
    for path in (BASE / "templates").rglob("*.html"):
        for match in re.finditer(
            r'\b(aria-label|title|placeholder|alt)="([^"{]*[A-Za-z][^"{]*)"',
            path.read_text(encoding="utf-8"),
        ):
            offenders.append(f"{path.name}: {match.group(0)}")
    assert offenders == []


def test_a_string_reads_the_same_in_every_catalogue():
    """Django merges the catalogues and the first one wins: a msgid translated two ways
    would show the other app's wording. Words that differ by context get a msgctxt."""
    for lang in LANGS:
        seen: dict[tuple, set[str]] = {}
        for po_path in CATALOGUES:
            path = po_path / lang / "LC_MESSAGES" / "django.po"
            for entry in polib.pofile(str(path)):
                seen.setdefault((entry.msgctxt, entry.msgid), set()).add(entry.msgstr)
        differing = {key[1]: values for key, values in seen.items() if len(values) > 1}
        assert differing == {}, lang
