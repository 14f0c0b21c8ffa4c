"""A spelling checker for one story, made from every dictionary that applies to it.

The judging of words is pure (`rules.spelling`); the words it trusts come from
files, the shipped lists and the store (`dictionaries`), so they are gathered
here, a layer above the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from newsdesk.core.rules.spelling import DEFAULT_LANGUAGE, Checker, language_code, load_lexicon
from newsdesk.core.services import dictionaries

if TYPE_CHECKING:
    from newsdesk.core.store.db import Store


def open_checker(
    language: str = DEFAULT_LANGUAGE,
    *,
    store: Store | None = None,
    personal: dictionaries.PersonalDictionary | None = None,
    story_fields: Iterable[str] = (),
    places: bool = True,
    check_capitals: bool = False,
) -> Checker[dictionaries.PersonalDictionary]:
    """A checker with every dictionary: language, newsroom list, places, the store's words, personal, story.

    Blocks while dictionaries load the first time (a few seconds with places):
    call it off the UI thread. `store` is None to leave the newsroom's table out;
    `personal` defaults to the user's personal dictionary.
    """
    code = language_code(language)
    lexicon = load_lexicon(code)
    known: set[str] = set(dictionaries.newsroom_list(code))
    if places:
        known.update(dictionaries.place_names())
    if store is not None:
        known.update(dictionaries.newsroom_words(store, code))
    known.update(dictionaries.story_words(*story_fields))
    if personal is None:
        personal = dictionaries.personal_dictionary()
    checker = Checker(lexicon, known=known, personal=personal, check_capitals=check_capitals)
    checker.name_pool()
    return checker
