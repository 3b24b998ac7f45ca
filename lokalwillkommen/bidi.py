"""Text that people type, shown among the portal's own: isolated, so that its direction (and
any direction-changing character in it, such as U+202E RIGHT-TO-LEFT OVERRIDE) cannot reorder
the text around it.

In HTML, templates isolate such text with ``<bdi>`` or a ``dir`` attribute (``{% text_lang %}``
writes ``dir="auto"``). Where markup cannot isolate (a page's ``<title>``, a plain-text e-mail,
a message built in Python), these functions do it with Unicode's own isolates, or drop the
controls where even those may not be honoured."""

import re

FSI, PDI = "\u2068", "\u2069"  # FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE
# Embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI) and the marks.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def isolate(text) -> str:
    """``text`` between FSI and PDI: whatever directions it holds end at its end."""
    return f"{FSI}{BIDI_CONTROLS.sub('', str(text))}{PDI}"


def strip_controls(text) -> str:
    """``text`` without direction-changing characters (for a page title)."""
    return BIDI_CONTROLS.sub("", str(text))
