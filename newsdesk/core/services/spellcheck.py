"""A spelling checker for one story, made from every dictionary that applies to it.

The judging of words is pure (`rules.spelling`); the words it trusts come from
files, the shipped lists and the store (`dictionaries`), so they are gathered
here, a layer above the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from newsdesk.core.rules import englishes
from newsdesk.core.rules.spelling import DEFAULT_LANGUAGE, Checker, Misspelling, language_code, load_lexicon
from newsdesk.core.services import dictionaries

if TYPE_CHECKING:
    from newsdesk.core.records import StoryRecord
    from newsdesk.core.store.db import Store


def open_checker(
    language: str = DEFAULT_LANGUAGE,
    *,
    store: Store | None = None,
    personal: dictionaries.PersonalDictionary | None = None,
    story_fields: Iterable[str] = (),
    places: bool = True,
    check_capitals: bool = False,
    flag_other_english: bool | None = None,
) -> Checker[dictionaries.PersonalDictionary]:
    """A checker with every dictionary: language, newsroom list, places, the store's words, personal, story.

    Blocks while dictionaries load the first time (a few seconds with places):
    call it off the UI thread. `store` is None to leave the newsroom's table out;
    `personal` defaults to the user's personal dictionary. `language` may name
    an English (en-GB …), whose spellings are then preferred; whether the other
    English's are flagged is the store's `flag_other_english` setting unless
    `flag_other_english` says (no store: not flagged).
    """
    code = language_code(language)
    if flag_other_english is None:
        flag_other_english = store is not None and _flag_other_english(store)
    variant = englishes.variant(language, flag_other=flag_other_english)
    lexicon = load_lexicon(code)
    known: set[str] = set(dictionaries.newsroom_list(code))
    if places:
        known.update(dictionaries.place_names())
    if store is not None:
        known.update(dictionaries.newsroom_words(store, code))
    known.update(dictionaries.story_words(*story_fields))
    if personal is None:
        personal = dictionaries.personal_dictionary()
    checker = Checker(lexicon, known=known, personal=personal, check_capitals=check_capitals, variant=variant)
    checker.name_pool()
    return checker


def _flag_other_english(store: Store) -> bool:
    from newsdesk.core.services import settings

    return settings.get(store, "flag_other_english").strip().lower() in ("true", "yes", "1", "on")


CHECKED_FIELDS = ("headline", "subheadline", "summary", "tagline", "body")
"""The story fields spelling checks, in the order a reader meets them (the dek is `subheadline`)."""


def names_of(record: StoryRecord) -> tuple[str, ...]:
    """The texts whose capitalised words a story makes known: byline, dateline place, tagline, link titles."""
    return (record.byline, record.dateline.place, record.tagline, *(link.title for link in record.links))


def story_texts(record: StoryRecord) -> list[tuple[str, str]]:
    """(field, text) for each checked field of the story, then each image's alt text and caption.

    An image's fields are named `imageN.alt` and `imageN.caption`, N as `image list` numbers them (from 1).
    """
    texts = [(name, getattr(record, name) or "") for name in CHECKED_FIELDS]
    for image in record.images:
        texts += [(f"image{image.position + 1}.alt", image.alt), (f"image{image.position + 1}.caption", image.caption)]
    return texts


def check_story(
    record: StoryRecord,
    *,
    store: Store | None = None,
    personal: dictionaries.PersonalDictionary | None = None,
    check_capitals: bool = False,
    suggestions: bool = True,
) -> list[Misspelling]:
    """Every unknown word of every checked field, in field order, each naming its field.

    The same dictionaries as the editor: the story's language (and English), the
    newsroom's words, places, the personal dictionary and the story's own names.
    """
    checker = open_checker(
        record.language, store=store, personal=personal, story_fields=names_of(record), check_capitals=check_capitals
    )
    return [
        misspelling
        for name, text in story_texts(record)
        for misspelling in checker.check(text, suggestions=suggestions, field=name)
    ]
