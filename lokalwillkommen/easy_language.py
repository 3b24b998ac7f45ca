"""The start page in Leichte Sprache (easy German), with the explanations BITV NRW asks for
on the start page of a public body's website: what the site is about, how to find your way
around it, the accessibility statement, and how to tell us about a barrier; and a place for
the same explanations as a video in German Sign Language (DGS).

The text is content in German, written by the rules of the Netzwerk Leichte Sprache: short
sentences, one idea per sentence, hard words explained. It is shown in German under every
language prefix (marked ``lang="de"``), as Leichte Sprache is a form of German.

The video is a local file (no third-party embed): put it at ``static/video/dgs-start.mp4``
(and a WebVTT caption file at ``static/video/dgs-start.de.vtt`` if there is one); until then
the page says that the video is in preparation.
"""

from functools import cache

from django.contrib.staticfiles import finders

VIDEO = "video/dgs-start.mp4"
CAPTIONS = "video/dgs-start.de.vtt"

# (heading, [paragraphs]); "{links.name}" in a paragraph becomes a link (see the template).
SECTIONS = [
    (
        "Was ist lokal willkommen?",
        [
            "lokal willkommen ist ein Angebot von der Stadt.",
            "Es ist für Menschen, die neu in der Stadt sind.",
            "Zum Beispiel für Menschen, die aus ihrem Land geflüchtet sind.",
            "Wir helfen Ihnen bei Fragen zum Leben in der Stadt.",
            "Zum Beispiel: Wohnung, Kita, Schule, Arbeit, Ämter und Briefe.",
            "Die Hilfe kostet nichts.",
        ],
    ),
    (
        "Was finden Sie auf dieser Internet-Seite?",
        [
            "Sie finden unsere Büros in den Stadt-Teilen.",
            "Ein Büro heißt auch: Anlauf-Stelle.",
            "Dort können Sie ohne Termin hin gehen.",
            "Auf der Seite steht: Wann ist das Büro offen?",
            "Und: Wo ist das Büro?",
            "Sie finden auch Angebote in Ihrem Stadt-Teil.",
            "Zum Beispiel: Sprach-Kurse, Hilfe bei den Haus-Aufgaben, Sport.",
            "Viele Angebote kosten nichts.",
        ],
    ),
    (
        "So finden Sie sich auf der Seite zurecht",
        [
            "Ganz oben auf jeder Seite ist das Menü.",
            "Dort gibt es 3 Links:",
            "Start-Seite. Büros und Öffnungs-Zeiten. Angebote und Netzwerk.",
            "Unter dem Menü können Sie die Sprache wählen.",
            "Es gibt die Seite in 8 Sprachen.",
            "Ganz unten auf jeder Seite sind noch mehr Links.",
            "Zum Beispiel zur Erklärung zur Barriere-Freiheit.",
            "Und zu dieser Seite in Leichter Sprache.",
        ],
    ),
    (
        "Barriere-Freiheit",
        [
            "Barriere-Freiheit heißt:",
            "Alle Menschen sollen die Internet-Seite gut benutzen können.",
            "Auch Menschen mit Behinderung.",
            "Zum Beispiel Menschen, die nicht gut sehen können.",
            "Wir haben aufgeschrieben: Wie barriere-frei ist diese Seite?",
            "Das steht in der Erklärung zur Barriere-Freiheit.",
        ],
    ),
    (
        "Sagen Sie uns, wenn etwas nicht gut geht",
        [
            "Haben Sie ein Problem mit der Internet-Seite?",
            "Können Sie etwas nicht lesen oder nicht benutzen?",
            "Dann schreiben Sie uns bitte.",
            "Wir antworten Ihnen in 2 Wochen.",
            "Sie können uns auch eine Idee schicken.",
            "Dafür gibt es ein Formular.",
        ],
    ),
    (
        "Video in Gebärden-Sprache",
        [
            "Hier gibt es die Erklärungen auch in Deutscher Gebärden-Sprache.",
        ],
    ),
]


@cache
def video() -> dict:
    """The sign-language video and its captions, where the files have been put in place."""
    return {
        "video": VIDEO if finders.find(VIDEO) else "",
        "captions": CAPTIONS if finders.find(CAPTIONS) else "",
    }
