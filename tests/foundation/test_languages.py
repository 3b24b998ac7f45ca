"""Eight interface languages (Persian right to left, Tigrinya in Ge'ez script), the start
page in Leichte Sprache with the explanations BITV NRW asks for, and feedback reachable from
every page."""

import pytest
from django.conf import settings

from lokalwillkommen import easy_language

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def test_the_interface_has_eight_languages():
    assert LANGUAGES == ["de", "en", "ar", "uk", "fa", "tr", "ru", "ti"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_its_home_page_with_every_language_linked(client, language):
    html = client.get(f"/{language}/").content.decode()
    assert f'<html lang="{language}"' in html
    for other in LANGUAGES:
        assert f'hreflang="{other}"' in html
    # Feedback and the page in Leichte Sprache from every page (footer and header).
    assert f'href="/{language}/network/suggestions/"' in html
    assert f'href="/{language}/accessibility/#feedback"' in html
    assert f'href="/{language}/leichte-sprache/"' in html


@pytest.mark.django_db
def test_persian_is_right_to_left_with_the_rtl_stylesheet(client):
    html = client.get("/fa/").content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    assert "خوش آمدید" in html


@pytest.mark.django_db
def test_tigrinya_is_written_in_geez_script_left_to_right(client):
    html = client.get("/ti/").content.decode()
    assert '<html lang="ti" dir="ltr">' in html
    assert "ትግርኛ" in html  # its own name in the language switcher
    assert "እንቋዕ ብደሓን መጻእኩም" in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "ar", "ti"])
def test_the_start_page_in_leichte_sprache_explains_the_site_in_easy_german(client, language):
    html = client.get(f"/{language}/leichte-sprache/").content.decode()
    assert '<div lang="de" dir="ltr" class="easy-language">' in html
    for heading, paragraphs in easy_language.SECTIONS:
        assert heading in html
        assert all(len(p.split()) <= 12 for p in paragraphs), "short sentences"
    # BITV NRW: what the site is about, navigation, accessibility statement, feedback.
    assert f'href="/{language}/accessibility/"' in html
    assert f'href="/{language}/network/suggestions/"' in html
    assert "mailto:" in html
    # No sign-language video yet: a notice where it will be, and no third-party embed.
    assert "dgs-placeholder" in html and "<iframe" not in html


@pytest.mark.django_db
def test_the_sign_language_video_is_shown_once_its_file_is_there(client, monkeypatch):
    monkeypatch.setattr(
        easy_language, "video", lambda: {"video": easy_language.VIDEO, "captions": ""}
    )
    html = client.get("/de/leichte-sprache/").content.decode()
    assert '<video controls preload="none"' in html and "dgs-start.mp4" in html
