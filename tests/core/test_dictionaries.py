"""The word lists spelling trusts: personal file, newsroom table, places, shipped list, story names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsdesk.core import dictionaries
from newsdesk.core.errors import InvalidField, NotPermitted
from newsdesk.core.models import Role


def test_word_set_follows_hunspell_case_rules():
    words = dictionaries.WordSet(["newsroom", "Minsk", "McClain", "didn’t"])
    assert "newsroom" in words and "Newsroom" in words and "NEWSROOM" in words
    assert "Minsk" in words and "MINSK" in words and "minsk" not in words
    assert "McClain" in words and "MCCLAIN" in words and "Mcclain" not in words
    assert "didn't" in words
    assert len(words) == 4


def test_personal_dictionary_adds_saves_and_removes(tmp_path: Path):
    path = tmp_path / "data" / "personal-dictionary.txt"
    personal = dictionaries.PersonalDictionary(path)
    assert personal.words == frozenset()
    assert personal.add("  Aleinik ") == "Aleinik"
    personal.add("bialiatski")
    personal.add("Aleinik")
    assert path.read_text(encoding="utf-8") == "Aleinik\nbialiatski\n"
    assert dictionaries.PersonalDictionary(path).words == {"Aleinik", "bialiatski"}
    assert personal.remove("bialiatski") is True
    assert personal.remove("bialiatski") is False
    assert path.read_text(encoding="utf-8") == "Aleinik\n"


@pytest.mark.parametrize("word", ["", "   ", "two words", "x" * 101])
def test_personal_dictionary_refuses_what_is_not_a_word(tmp_path: Path, word: str):
    with pytest.raises(InvalidField) as error:
        dictionaries.PersonalDictionary(tmp_path / "p.txt").add(word)
    assert error.value.field == "word"


def test_personal_dictionary_is_written_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "p.txt"
    personal = dictionaries.PersonalDictionary(path)
    personal.add("Aleinik")

    def failing_replace(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError):
        personal.add("Lukashenko")
    assert path.read_text(encoding="utf-8") == "Aleinik\n"
    assert [p.name for p in tmp_path.iterdir()] == ["p.txt"]


def test_personal_dictionary_lives_in_the_user_data_folder(home: Path):
    personal = dictionaries.personal_dictionary()
    personal.add("Viasna")
    assert (home / "data" / "personal-dictionary.txt").read_text(encoding="utf-8") == "Viasna\n"


def test_a_personal_dictionary_that_is_not_text_starts_empty(tmp_path: Path, caplog):
    path = tmp_path / "p.txt"
    path.write_bytes(b"\xff\xfe\x00junk")
    assert dictionaries.PersonalDictionary(path).words == frozenset()
    assert "not UTF-8" in caplog.text


def test_newsroom_dictionary_is_shared_and_only_editors_remove(store):
    seeded = dictionaries.newsroom_words(store)
    assert "Aleinik" in seeded, "the demo story's names start the newsroom dictionary"
    dictionaries.add_newsroom_word(store, "Tsikhanouskaya", user_id=None)
    dictionaries.add_newsroom_word(store, "Makei")
    dictionaries.add_newsroom_word(store, "Makei")
    dictionaries.add_newsroom_word(store, "Loukachenko", language="fr")
    assert set(dictionaries.newsroom_words(store)) == {*seeded, "Makei", "Tsikhanouskaya"}
    assert dictionaries.newsroom_words(store, "fr") == ["Loukachenko"]
    with pytest.raises(NotPermitted):
        dictionaries.remove_newsroom_word(store, "Makei", role=Role.REPORTER)
    assert dictionaries.remove_newsroom_word(store, "Makei", role=Role.EDITOR) is True
    assert dictionaries.remove_newsroom_word(store, "Makei", role="admin") is False
    assert set(dictionaries.newsroom_words(store)) == {*seeded, "Tsikhanouskaya"}


def test_newsroom_dictionary_refuses_what_is_not_a_word(store):
    with pytest.raises(InvalidField):
        dictionaries.add_newsroom_word(store, "two words")


def test_story_words_are_the_names_in_byline_dateline_and_tagline():
    words = dictionaries.story_words(
        "By Edith M. Lederer",
        "UNITED NATIONS",
        "Edith M. Lederer, chief U.N. correspondent for The Associated Press’s desk.",
    )
    assert words == {"By", "Edith", "Lederer", "The", "Associated", "Press"}


def test_place_names_come_from_the_data_packages():
    places = dictionaries.place_names()
    for name in ("Minsk", "Lithuania", "Belarusian", "Denver", "Kentucky", "Moscow", "Paulo"):
        assert name in places
    assert "d'Ivoire" in places and all(dictionaries.has_capital(word) for word in places)
    assert dictionaries.place_names() is places


def test_newsroom_list_ships_agencies_titles_and_abbreviations():
    words = dictionaries.newsroom_list("en")
    assert {"Reuters", "Xinhua", "Sen", "Calif", "lede", "Nasdaq"} <= words
    assert not any(word.startswith("#") for word in words)
    assert dictionaries.newsroom_list("xx") == frozenset()


def test_place_names_are_kept_in_a_cache_file(home, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(dictionaries, "_places", None)
    first = dictionaries.place_names()
    cache_file = dictionaries.place_names_cache()
    assert cache_file.parent == home / "data" / "cache"
    assert "Minsk" in cache_file.read_text(encoding="utf-8").splitlines()

    def unavailable():
        raise AssertionError("the data packages were read again")

    monkeypatch.setattr(dictionaries, "_places", None)
    monkeypatch.setattr(dictionaries, "_read_place_names", unavailable)
    assert dictionaries.place_names() == first


def test_place_names_work_when_the_cache_cannot_be_written(home, monkeypatch: pytest.MonkeyPatch, caplog):
    monkeypatch.setattr(dictionaries, "_places", None)
    (home / "data").mkdir(parents=True)
    (home / "data" / "cache").write_text("a file where the folder should be", encoding="utf-8")
    assert "Minsk" in dictionaries.place_names()
    assert "Could not keep place names" in caplog.text
