"""A saved page's headline, reconciled from everything that claims to be it.

A page states its headline four ways or more: the JSON-LD `headline`, the Open
Graph and Twitter titles (often a shorter or catchier social version), the
`<title>` (with the site's name and section around it) and the `h1` the reader
sees (which may be the site's logo, a section label, or the headline with its
kicker run in). The rule: the visible headline wins when another source agrees
with it; a kicker the metadata writes as `Kicker: Headline` is kept; a label
before the headline (`Local News | …`) is dropped; the site's name is never
part of it. With no visible headline that anything confirms, the JSON-LD
headline, then the social title, then the `<title>` are taken, and a longer
source that contains the chosen one wins over it, so a shortened social title
never replaces the headline.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence

_SEPARATORS = (" | ", " - ", " – ", " — ", " · ", " :: ", " / ", " » ", "|", "｜", " -", "- ", "-", "_")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "´": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
                          "–": "-", "—": "-", "‑": "-", "\u00a0": " "})


def clean(text: str | None) -> str:
    """One line of plain text: entities decoded, spaces collapsed."""
    if not text:
        return ""
    return " ".join(unicodedata.normalize("NFC", html.unescape(text)).split())


def strip_site(title: str, sites: Iterable[str]) -> str:
    """The title without the site's name before or after it (`… | The Guardian`, `NEWS WEB EASY|…`)."""
    keys = [_loose(site) for site in sites if _loose(site)]
    changed = True
    while changed and keys:
        changed = False
        for separator in _SEPARATORS:
            head, found, tail = title.rpartition(separator)
            if found and head.strip() and _is_site(tail, keys):
                title, changed = head.strip(), True
                break
            head, found, tail = title.partition(separator)
            if found and tail.strip() and _is_site(head, keys):
                title, changed = tail.strip(), True
                break
    return title


def _is_site(text: str, keys: Sequence[str]) -> bool:
    key = _loose(text)
    return bool(key) and any(
        key == site or (len(site) >= 4 and (key.startswith(site) or (site.startswith(key) and len(key) >= 4))) for site in keys
    )


def choose(visible: Sequence[str], stated: Sequence[tuple[str, str]], title: str, sites: Iterable[str]) -> tuple[str, str]:
    """The headline and where it came from.

    `visible`: the page's `h1` and `itemprop=headline` texts in order; `stated`: (text, source) from the
    JSON-LD and meta tags, best first; `title`: the `<title>`; `sites`: the site's own names.
    """
    sites = [site for site in sites if site]
    stated = [(strip_site(clean(text), sites), source) for text, source in stated if clean(text)]
    full_title = clean(title)
    short_title = strip_site(full_title, sites)
    claims = [*stated, (short_title, "<title>")] if short_title else list(stated)
    site_keys = {_loose(site) for site in sites}
    for shown in (clean(text) for text in visible):
        if not shown or _loose(shown) in site_keys:
            continue
        for claim, source in claims:
            agreed = _agree(shown, claim)
            if agreed:
                return agreed, f"h1 (confirmed by {source})"
        if full_title and any(full_title.startswith(shown + separator) for separator in _SEPARATORS if separator.strip()):
            return shown, "h1 (confirmed by <title>)"
    ordered = [(text, source) for text, source in claims if len(_loose(text)) > 3 and _loose(text) not in site_keys]
    if not ordered:
        return "", ""
    best, source = ordered[0]
    for text, other in ordered[1:]:
        if len(text) > len(best) and _loose(best) in _loose(text) and not _only_site_added(text, best, sites):
            best, source = text, other
    return best, source


def _agree(shown: str, claim: str) -> str:
    """The headline when the visible text and a stated one are the same headline, else ""."""
    if not claim:
        return ""
    if shown.translate(_QUOTES).casefold() == claim.translate(_QUOTES).casefold():
        return shown
    loose_shown, loose_claim = _loose(shown), _loose(claim)
    if loose_shown == loose_claim:
        return claim  # the metadata keeps the punctuation a run-in kicker lost (`Kicker: Headline`)
    if claim.endswith((": " + shown, ": " + shown.translate(_QUOTES))):
        return claim
    if shown.endswith((" | " + claim, " | " + claim.translate(_QUOTES))):
        return claim  # a section label run into the h1 (`Local News | …`)
    return ""


def _only_site_added(longer: str, shorter: str, sites: Sequence[str]) -> bool:
    return strip_site(longer, sites) == shorter


def _loose(text: str) -> str:
    """Letters and digits only, folded: how two spellings of one headline are compared."""
    return re.sub(r"[\W_]+", "", clean(text).casefold())
