"""The checker made from every dictionary: the story's own names, the store's words, the personal file."""

from __future__ import annotations

from newsdesk.core.services import dictionaries, spellcheck

BYLINE = "Edith M. Lederer"
TAGLINE = "Edith M. Lederer, chief U.N. correspondent for The Associated Press, has been covering international affairs."


def unknown(checker, text: str) -> list[str]:
    return [token.text for token in checker.unknown(checker.tokens(text))]


def test_story_names_are_known_only_for_that_story(home, tmp_path):
    personal = dictionaries.PersonalDictionary(tmp_path / "p.txt")
    with_story = spellcheck.open_checker(personal=personal, story_fields=[BYLINE, "", TAGLINE])
    without = spellcheck.open_checker(personal=personal)
    assert with_story.is_known("Lederer")
    assert not without.is_known("Lederer")


def test_personal_newsroom_and_ignored_words(store, tmp_path):
    personal = dictionaries.PersonalDictionary(tmp_path / "p.txt")
    dictionaries.add_newsroom_word(store, "Latushka")
    checker = spellcheck.open_checker(store=store, personal=personal)
    assert unknown(checker, "Latushka said Makei met Kolesnikova") == ["Makei", "Kolesnikova"]
    checker.add_personal("Makei")
    checker.ignore("Kolesnikova")
    assert unknown(checker, "Latushka said Makei met Kolesnikova") == []
    assert personal.words == {"Makei"}
    assert not spellcheck.open_checker(store=store, personal=personal).is_known("Kolesnikova")
