"""The Englishes a story can be written in, and which spelling of a word each one prefers.

The British–American pairs come from the `breame` package (Apache-2.0), whose
lists ship inside its wheel, so nothing is fetched at run time: about 1,700
words each way (colour/color, organise/organize, harbour/harbor, centre/center,
travelled/traveled). No list is written here by hand; the Commonwealth
Englishes are derived from those pairs by a rule:

- en-GB and en-AU prefer the British form of every pair;
- en-CA prefers the British form too (colour, centre, travelled, defence),
  except where the two differ only by an s for a z (organise/organize,
  analyse/analyze): Canadian usage takes the z;
- en-US prefers the American form.

Every English accepts both forms of a pair unless the newsroom asks for the
other form to be flagged (`flag_other` in `Variant`): then "color" is unknown
in an en-GB story and "colour" is its first suggestion, and the other way
round in en-US. A plain `en` story is English with no variant: both forms are
accepted and the American one (the dictionary's own) is suggested first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

ENGLISHES = ("en-US", "en-GB", "en-CA", "en-AU")
BRITISH_SPELLING = frozenset({"en-GB", "en-AU", "en-CA"})


def english(language: str | None) -> str | None:
    """The English variant of a story language ("en-gb" → "en-GB"), or None for plain `en` or another language."""
    code = (language or "").strip().replace("_", "-")
    base, _, region = code.partition("-")
    if base.lower() != "en" or not region:
        return None
    variant = f"en-{region.upper()}"
    return variant if variant in ENGLISHES else None


@cache
def pairs() -> tuple[tuple[str, str], ...]:
    """Every (British, American) pair breame knows, lower case, both of its lists merged."""
    from breame.data.spelling_constants import AMERICAN_ENGLISH_SPELLINGS, BRITISH_ENGLISH_SPELLINGS

    found = {(british, american) for british, american in BRITISH_ENGLISH_SPELLINGS.items()}
    found.update((british, american) for american, british in AMERICAN_ENGLISH_SPELLINGS.items())
    return tuple(sorted((b.lower(), a.lower()) for b, a in found if b.isalpha() and a.isalpha() and b != a))


def _s_for_z(british: str, american: str) -> bool:
    """organise/organize: the same word but for an s where the other has a z."""
    return len(british) == len(american) and all(
        b == a or (b, a) == ("s", "z") for b, a in zip(british, american, strict=True)
    )


@dataclass(frozen=True)
class Variant:
    """One English's preferences: `preferred` maps a word of the other form to this English's form."""

    language: str
    preferred: dict[str, str]
    flag_other: bool = False

    def prefer(self, word: str) -> str:
        """This English's spelling of a lower-case word (the word itself when it has no other form)."""
        return self.preferred.get(word, word)

    def is_other_form(self, word: str) -> bool:
        """Whether the newsroom wants `word` (lower case) flagged as the other English's spelling."""
        return self.flag_other and word in self.preferred


@cache
def _preferences(language: str) -> dict[str, str]:
    preferred: dict[str, str] = {}
    for british, american in pairs():
        if language == "en-US" or (language == "en-CA" and _s_for_z(british, american)):
            own, other = american, british
        else:
            own, other = british, american
        preferred.setdefault(other, own)
    for own in set(preferred.values()):
        preferred.pop(own, None)
    return preferred


def variant(language: str | None, *, flag_other: bool = False) -> Variant | None:
    """The preferences of a story's English, or None for plain `en` and other languages."""
    code = english(language)
    if code is None:
        return None
    return Variant(code, _preferences(code), flag_other)


def all_forms() -> frozenset[str]:
    """Every spelling of every pair, British and American, that an English dictionary should know."""
    return frozenset(word for pair in pairs() for word in pair)
