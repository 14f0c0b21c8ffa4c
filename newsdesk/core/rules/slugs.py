"""Slugs: the lower-case ASCII, hyphenated names in a story's or section's web address."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Collection, Iterator

from newsdesk.core.errors import InvalidField
from newsdesk.core.rules import limits

MAX_SLUG = limits.SLUG.length
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TRANSLITERATE = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "đ": "d", "ł": "l", "Ł": "l", "œ": "oe", "’": "", "'": ""}
)


def slugify(text: str, *, limit: int = MAX_SLUG) -> str:
    """A slug made from a headline or name: accents dropped, words joined by hyphens, cut at a word."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE)).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    slug = slug or (words[0][:limit] if words else "")
    # All digits would read as a story id (`newsdesk story show 2024`): such a slug is never made.
    return f"story-{slug}"[:limit].rstrip("-") if slug.isdigit() else slug


def slug_candidates(base: str, *, limit: int = MAX_SLUG) -> Iterator[str]:
    """`base`, `base-2`, `base-3` ... in the order they are tried; the base is cut so the suffix still fits the limit."""
    base = base[:limit].strip("-") or "story"
    yield base
    for number in itertools.count(2):
        suffix = f"-{number}"
        yield base[: limit - len(suffix)].rstrip("-") + suffix


def unique_slug(base: str, taken: Collection[str], *, limit: int = MAX_SLUG) -> str:
    """The first of `slug_candidates(base)` that is not taken."""
    return next(candidate for candidate in slug_candidates(base, limit=limit) if candidate not in taken)


def follows_headline(slug: str, headline: str) -> bool:
    """Whether `slug` is still the one made from `headline` (perhaps with a -N to keep it unique), not one typed by hand."""
    base = slugify(headline) or "story"
    if slug == base:
        return True
    match = re.fullmatch(r".+(?P<suffix>-(?:[2-9]|[1-9][0-9]+))", slug)
    return match is not None and slug == base[: MAX_SLUG - len(match["suffix"])].rstrip("-") + match["suffix"]


def validate_slug(slug: str) -> str:
    slug = slug.strip()
    if not slug:
        raise InvalidField("slug", "The slug cannot be empty: it is the story's web address.")
    if len(slug) > MAX_SLUG:
        raise InvalidField("slug", f"The slug is {len(slug)} characters long; keep it to {MAX_SLUG} or fewer.")
    if slug.isdigit():
        raise InvalidField("slug", f"“{slug}” is only digits, which would read as a story id; add a word (for example story-{slug}).")
    if not _SLUG.match(slug):
        example = slugify(slug) or "belarus-minister-interview"
        raise InvalidField(
            "slug", f"“{slug}” is not a valid slug: use lower-case letters, digits and single hyphens (for example {example})."
        )
    return slug
