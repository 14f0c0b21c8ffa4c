"""Spelling: which words of a story are unknown, and what the reporter probably meant.

pyspellchecker provides each language's word list with frequencies. Loading it
(and the place names) takes a second or more, so loading is explicit:
`load_lexicon(language)` and `services.spellcheck.open_checker(...)` block, are
safe to call from several threads at once, and cache what they load for the life
of the process; the window calls them on a worker thread, the command line just
waits. This module only judges words: where the trusted words come from (files,
the store) is the services' business, so it imports neither.

Suggestions do not use pyspellchecker's `candidates`, which builds every string
two edits away and takes seconds on long words. Words one edit away are found
by building those strings and looking them up; words two edits away by a
compiled edit distance (`suggest.WordPool`: rapidfuzz, optimal string
alignment, so a swapped pair of letters is one edit) over the common words of
about the same length that share the typed word's first or second letter, then
over all words when that finds nothing, then three edits for long words. That
is the whole search and takes a few milliseconds at any length, so there is no
slower second pass. Candidates are ranked by a weighted distance (swaps,
doubled letters and vowel slips cost less), then by how common the word is, and
keep the case and apostrophes that were typed. Results are cached per word.
"""

from __future__ import annotations

import logging
import marshal
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from newsdesk.core import atomic
from newsdesk.core.errors import InvalidField
from newsdesk.core.rules import englishes
from newsdesk.core.rules.suggest import (
    WordPool,
    one_edit,
    rank_candidates,
    restore_case,
)
from newsdesk.core.rules.tokens import Token, has_capital, line_words, normalise_apostrophes, tokenize, word_token

log = logging.getLogger(__name__)

LANGUAGES = ("en", "es", "fr", "pt", "de", "it", "ru", "ar", "lv", "eu", "nl", "fa")
DEFAULT_LANGUAGE = "en"
SUGGESTIONS = 5
_CACHE_SIZE = 4096
VERDICTS_KEPT = 50_000
"""Words whose verdict `Checker.unknown_in_line` remembers before it starts again (a few MB at most)."""
_COMPOUND_FREQUENCY = 20_000
_ONE_LETTER_SHARE = 0.005
_RARE = 50
_NAME_FREQUENCY = 1000
_FARTHER = 30


def language_code(language: str | None) -> str:
    """The dictionary for a story language (`en-GB` → `en`), or InvalidField naming the ones there are."""
    code = (language or DEFAULT_LANGUAGE).strip().replace("_", "-").split("-", 1)[0].lower()
    if code not in LANGUAGES:
        available = ", ".join(LANGUAGES)
        raise InvalidField("language", f"There is no spelling dictionary for “{language}”; there are: {available}.")
    return code


class Lexicon:
    """One language's word list with frequencies, and a fast search for near words."""

    def __init__(self, language: str, frequencies: dict[str, int]) -> None:
        self.language = language
        self._frequencies = frequencies
        self.total = sum(frequencies.values())
        self._all = WordPool(frequencies)
        self._common = WordPool(word for word, count in frequencies.items() if count > _RARE)
        self._letters = "".join(sorted(letter for letter in set("".join(frequencies)) if letter.isalpha()))
        self._cache: dict[str, list[str]] = {}
        self._cache_lock = threading.Lock()

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word.lower() in self._frequencies

    def __len__(self) -> int:
        return len(self._frequencies)

    def frequency(self, word: str) -> int:
        return self._frequencies.get(word.lower(), 0)

    def suggest(self, word: str, limit: int = SUGGESTIONS) -> list[str]:
        """Lower-case dictionary words the reporter may have meant by `word`, best first (cached)."""
        key = normalise_apostrophes(word).lower()
        with self._cache_lock:
            cached = self._cache.get(key)
        if cached is None:
            cached = self._search(key)
            with self._cache_lock:
                if len(self._cache) >= _CACHE_SIZE:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[key] = cached
        return cached[:limit]

    def _search(self, word: str) -> list[str]:
        close = {
            candidate: 1
            for candidate in one_edit(word, self._letters)
            if candidate in self._frequencies and candidate != word
        }
        found: dict[str, int] = {}
        if len(word) > 3:
            found = self._common.near(word, max_distance=2)
        if not close and not found and len(word) > 3:
            found = self._all.near(word, max_distance=2)
        if not close and not found and len(word) >= 9:
            found = self._common.near(word, max_distance=3, length_spread=2)
        farther = sorted((c for c in found if c not in close), key=self.frequency, reverse=True)
        candidates = close | {candidate: found[candidate] for candidate in farther[:_FARTHER]}
        candidates.update(self._compounds(word))
        return rank_candidates(word, candidates, self.frequency, self.total)[: SUGGESTIONS * 2]

    def _compounds(self, word: str) -> dict[str, int]:
        """Two common words run together (aboutthe → about the, alot → a lot).

        A one-letter part counts only when it is one of the language's commonest
        words (a and I in English), not a letter used as a word now and then.
        """
        pairs = {}
        for cut in range(1, len(word) - 1):
            left, right = word[:cut], word[cut:]
            if min(self.frequency(left), self.frequency(right)) < _COMPOUND_FREQUENCY:
                continue
            if cut == 1 and self.frequency(left) < self.total * _ONE_LETTER_SHARE:
                continue
            pairs[f"{left} {right}"] = 1
        return pairs


_lexicons: dict[str, Lexicon] = {}
_lexicon_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def load_lexicon(language: str = DEFAULT_LANGUAGE) -> Lexicon:
    """The language's dictionary, loaded once per process; blocks while loading (a fraction of a second)."""
    code = language_code(language)
    lexicon = _lexicons.get(code)
    if lexicon is not None:
        return lexicon
    with _locks_guard:
        lock = _lexicon_locks.setdefault(code, threading.Lock())
    with lock:
        lexicon = _lexicons.get(code)
        if lexicon is None:
            frequencies = _frequencies(code)
            if code == "en":
                _add_both_forms(frequencies)
            lexicon = Lexicon(code, frequencies)
            _lexicons[code] = lexicon
            log.info("Spelling dictionary %s loaded: %d words", code, len(lexicon))
    return lexicon


def _add_both_forms(frequencies: dict[str, int]) -> None:
    """Every English's spellings in the one English word list, each as common as its other form."""
    for british, american in englishes.pairs():
        count = max(frequencies.get(british, 0), frequencies.get(american, 0), 1)
        frequencies.setdefault(british, count)
        frequencies.setdefault(american, count)


CACHE_CHUNK = 5000
"""Words per marshalled piece of the kept word list: each piece loads in a few milliseconds, and the UI thread gets in between."""


def lexicon_cache(language: str) -> Path:
    """The kept word list, named for pyspellchecker's version and the interpreter's marshal format, which both may change."""
    from importlib.metadata import version

    from newsdesk.config import paths

    python = f"py{sys.version_info[0]}{sys.version_info[1]}m{marshal.version}"
    return paths().data / "cache" / f"words-{language}-pyspellchecker-{version('pyspellchecker')}-{python}.marshal"


def _frequencies(code: str) -> dict[str, int]:
    """The word list with frequencies, from a copy kept in the data folder when there is one.

    pyspellchecker's own file is one JSON document, and parsing it holds the
    interpreter lock for a third of a second or more, which the window would
    feel as a stall even though loading runs on a worker thread. The copy is
    the dictionary marshalled in pieces of CACHE_CHUNK words: each piece is one
    call into C that makes only the words and counts kept (no line strings
    to throw away, so no memory left in holes), and the UI thread runs between
    pieces. The whole list loads in about a tenth of a second.
    """
    cache_file = lexicon_cache(code)
    try:
        return _read_pieces(cache_file.read_bytes())
    except FileNotFoundError:
        pass
    except (OSError, EOFError, ValueError, TypeError) as error:
        log.warning("Spelling word list %s unreadable (%s); reading pyspellchecker's", cache_file, error)
    from spellchecker import SpellChecker

    frequencies = dict(SpellChecker(language=code, distance=1).word_frequency.dictionary)
    try:
        atomic.write_bytes(cache_file, _pieces(frequencies))
    except OSError as error:
        log.warning("Could not keep the %s word list in %s: %s", code, cache_file, error)
    return frequencies


def _pieces(frequencies: dict[str, int]) -> bytes:
    items = list(frequencies.items())
    return marshal.dumps([marshal.dumps(dict(items[start : start + CACHE_CHUNK])) for start in range(0, len(items), CACHE_CHUNK)])


def _read_pieces(data: bytes) -> dict[str, int]:
    frequencies: dict[str, int] = {}
    pieces = marshal.loads(data)
    if not isinstance(pieces, list):
        raise TypeError("not a list of pieces")
    for piece in pieces:
        words = marshal.loads(piece)
        if not isinstance(words, dict):
            raise TypeError("a piece is not a word list")
        frequencies.update(words)
    return frequencies


@dataclass(frozen=True)
class Misspelling:
    """An unknown word, where it is, and what may have been meant (best first).

    `word` is the word as reported: a name's possessive or plural is reported
    as the name (Lukashenko’s → Lukashenko), since the name is what is unknown
    and what a reporter adds to a dictionary; `token.text` is what was typed.
    `story_field` names the story field it was found in, when a story was checked.
    """

    token: Token
    suggestions: list[str] = field(default_factory=list)
    word: str = ""
    story_field: str | None = None

    def __post_init__(self) -> None:
        if not self.word:
            object.__setattr__(self, "word", name_of(self.token.text))

    def to_json(self) -> dict[str, object]:
        found: dict[str, object] = {
            "word": self.word,
            "text": self.token.text,
            "line": self.token.line,
            "column": self.token.column,
            "suggestions": list(self.suggestions),
        }
        return found if self.story_field is None else {"field": self.story_field, **found}


def name_of(text: str) -> str:
    """A capitalised word without its possessive (Lukashenko’s → Lukashenko); other words as they are."""
    straight = normalise_apostrophes(text)
    if text[:1].isupper() and straight[-2:] in ("'s", "'S") and len(straight) > 3:
        return text[:-2]
    return text


class WordSet:
    """Words matched with Hunspell-like case rules; safe to read while another thread adds."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._lower: set[str] = set()
        self._cased: set[str] = set()
        self._cased_upper: set[str] = set()
        self.update(words)

    def add(self, word: str) -> None:
        word = normalise_apostrophes(word.strip())
        if not word:
            return
        if word == word.lower():
            self._lower.add(word)
        else:
            self._cased.add(word)
            self._cased_upper.add(word.upper())

    def update(self, words: Iterable[str]) -> None:
        for word in words:
            self.add(word)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        if word in self._cased or word.lower() in self._lower:
            return True
        return word.isupper() and word in self._cased_upper

    def __len__(self) -> int:
        return len(self._lower) + len(self._cased)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._lower | self._cased))


class PersonalWords(Protocol):
    """What a checker needs of the reporter's own dictionary (`services.dictionaries.PersonalDictionary`)."""

    @property
    def words(self) -> frozenset[str]: ...

    def add(self, word: str) -> str: ...


Personal = TypeVar("Personal", bound=PersonalWords)


class Checker(Generic[Personal]):
    """Decides which words are unknown for one story, given every dictionary that applies to it.

    Cheap to make once the lexicon and place names are loaded; `ignore` lasts for
    this checker only, `add_personal` and `add_known` change what it accepts at once.
    `services.spellcheck.open_checker` gathers the dictionaries and makes one.
    """

    def __init__(
        self,
        lexicon: Lexicon,
        *,
        personal: Personal,
        known: Iterable[str] = (),
        check_capitals: bool = False,
        variant: englishes.Variant | None = None,
    ) -> None:
        self.lexicon = lexicon
        self.language = lexicon.language
        self.variant = variant
        self.check_capitals = check_capitals
        self.personal = personal
        self._known = WordSet(known)
        self._known.update(personal.words)
        self._ignored: set[str] = set()
        self._names: WordPool | None = None
        self._names_lock = threading.Lock()
        self._verdicts: dict[str, bool] = {}

    def is_known(self, word: str) -> bool:
        word = normalise_apostrophes(word)
        if self._known_exactly(word):
            return True
        if word[-2:] in ("'s", "'S"):
            return self._known_exactly(word[:-2])
        return word[:1].isupper() and word.endswith("s") and word[:-1] in self._known

    def _known_exactly(self, word: str) -> bool:
        if word in self._ignored or word in self._known:
            return True
        if self.variant is not None and self.variant.is_other_form(word.lower()):
            return False
        return word in self.lexicon

    def tokens(self, text: str) -> list[Token]:
        return tokenize(text, check_capitals=self.check_capitals)

    def unknown(self, tokens: Iterable[Token]) -> list[Token]:
        """The tokens no dictionary knows."""
        return [token for token in tokens if not self.is_known(token.word)]

    def unknown_in_line(self, line: str, *, fenced: bool = False) -> tuple[list[Token], bool]:
        """`unknown(tokenize_line(line))` and the fence state after the line, for the editor, which asks at each keystroke.

        The verdict on each word is remembered until the dictionaries change, so
        a paragraph costs a look-up per word; only words not seen yet go to `unknown`.
        """
        words, fenced_after = line_words(line, fenced=fenced)
        verdicts = self._verdicts
        if len(verdicts) > VERDICTS_KEPT:
            verdicts.clear()
        candidates: list[Token] = []
        for text, column in words:
            if verdicts.get(text) is not False:
                token = word_token(text, column, 1, 0, self.check_capitals)
                if token is None:
                    verdicts[text] = False
                else:
                    candidates.append(token)
        fresh = [token for token in candidates if token.text not in verdicts]
        unknown = {token.text for token in self.unknown(fresh)}
        for token in fresh:
            verdicts[token.text] = token.text in unknown
        return [token for token in candidates if verdicts[token.text]], fenced_after

    def check(self, text: str, *, suggestions: bool = True, field: str | None = None) -> list[Misspelling]:
        """Every unknown word of `text`, in order, with suggestions unless asked not to.

        A capitalised unknown word ending in s whose stem is unknown in the same
        text too (Kardashians beside Kardashian) is reported as the stem.
        """
        unknown = self.unknown(self.tokens(text))
        names = {name_of(token.text) for token in unknown if token.text[:1].isupper()}
        found = []
        for token in unknown:
            word = name_of(token.text)
            if word == token.text and word[:1].isupper() and word.endswith("s") and word[:-1] in names:
                word = word[:-1]
            found.append(Misspelling(token, self.suggest(token.text) if suggestions else [], word, field))
        return found

    def ignore(self, word: str) -> None:
        """Accept `word` in this checker only (Ignore in the editor's menu)."""
        self._ignored.add(normalise_apostrophes(word))
        self._verdicts.clear()

    def add_known(self, words: Iterable[str]) -> None:
        """Accept more words, e.g. one just added to the newsroom dictionary or the story's byline."""
        added = list(words)
        self._known.update(added)
        self._verdicts.clear()
        if any(has_capital(word) for word in added):
            with self._names_lock:
                self._names = None

    def add_personal(self, word: str) -> str:
        """Add `word` to the personal dictionary (saving it) and accept it now."""
        stored = self.personal.add(word)
        self.add_known([stored])
        return stored

    def suggest(self, word: str, limit: int = SUGGESTIONS) -> list[str]:
        """What the reporter may have meant, best first, in the case and apostrophes they typed."""
        typed = word
        word = normalise_apostrophes(word)
        suffix = ""
        if word[-2:] in ("'s", "'S") and len(word) > 3:
            word, suffix = word[:-2], typed[-2:]
        candidates = self.lexicon.suggest(word, limit * 2)
        if word[:1].isupper():
            candidates = self._with_names(word, candidates)
        if self.variant is not None:
            candidates = self._preferred(word, candidates)
        typographic = "\u2019" in typed
        results: list[str] = []
        for candidate in candidates:
            fixed = restore_case(word, candidate) + suffix
            if typographic:
                fixed = fixed.replace("'", "\u2019")
            if fixed != typed and fixed not in results:
                results.append(fixed)
            if len(results) == limit:
                break
        return results

    def _preferred(self, word: str, candidates: list[str]) -> list[str]:
        """Candidates in the story's English (harbor → harbour in en-GB), its form of the typed word first."""
        assert self.variant is not None
        own = self.variant.prefer(word.lower())
        first = [own] if own != word.lower() else []
        spelled = [self.variant.prefer(candidate) if candidate.islower() else candidate for candidate in candidates]
        return list(dict.fromkeys(first + spelled))

    def name_pool(self) -> WordPool:
        """The known names, grouped for suggestion search; built on first need (a tenth of a second)."""
        with self._names_lock:
            if self._names is None:
                self._names = WordPool(name for name in self._known if has_capital(name))
            return self._names

    def _with_names(self, word: str, candidates: list[str]) -> list[str]:
        """Known names (places, newsroom and personal words) near a capitalised word, ranked in with the rest."""
        found = self.name_pool().near(word, max_distance=2 if len(word) > 4 else 1)
        if not found:
            return candidates
        merged = dict.fromkeys(candidates, 1) | found

        def frequency(candidate: str) -> int:
            return self.lexicon.frequency(candidate) or (_NAME_FREQUENCY if candidate in found else 0)

        return rank_candidates(word, merged, frequency, self.lexicon.total)

