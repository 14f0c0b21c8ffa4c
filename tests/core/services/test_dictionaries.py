"""The word lists spelling trusts: personal file, newsroom table, places, shipped list, story names."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from newsdesk.core.errors import InvalidField, NotPermitted, PersonalDictionaryError
from newsdesk.core.rules.tokens import has_capital
from newsdesk.core.services import dictionaries
from newsdesk.core.store.models import Role


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
    with pytest.raises(PersonalDictionaryError, match=r"Could not save your personal dictionary .*disk full"):
        personal.add("Lukashenko")
    assert path.read_text(encoding="utf-8") == "Aleinik\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.txt", "p.txt.lock"]


def test_personal_dictionary_lives_in_the_user_data_folder(home: Path):
    personal = dictionaries.personal_dictionary()
    personal.add("Viasna")
    assert (home / "data" / "personal-dictionary.txt").read_text(encoding="utf-8") == "Viasna\n"


def cli(*argv: str, home: Path) -> subprocess.CompletedProcess[str]:
    """The command line in a child process, as a second program sharing the file would run it."""
    return subprocess.run(
        [sys.executable, "-m", "newsdesk", *argv],
        env={**os.environ, "NEWSDESK_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_bad_byte_keeps_the_file_byte_for_byte_and_adds_refuse(home: Path, caplog):
    path = home / "data" / "personal-dictionary.txt"
    path.parent.mkdir(parents=True)
    damaged = b"Aleinik\nBia\xc5liatski\r\nViasna\n"
    path.write_bytes(damaged)
    personal = dictionaries.personal_dictionary()
    assert personal.words == {"Aleinik", "Viasna"}, "the readable lines still count"
    assert personal.problem is not None and "is not UTF-8 text (line 2)" in personal.problem
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == [personal.problem]
    with pytest.raises(PersonalDictionaryError) as refused:
        personal.add("Makei")
    assert str(refused.value) == personal.problem and "kept as it is" in str(refused.value)
    with pytest.raises(PersonalDictionaryError):
        personal.remove("Aleinik")
    assert personal.refresh() is False
    assert len([r for r in caplog.records if r.levelname == "WARNING"]) == 1, "said once"
    with pytest.raises(PersonalDictionaryError):
        dictionaries.personal_dictionary(strict=True)
    child = cli("dictionary", "add", "--personal", "Makei", home=home)
    assert (child.returncode, child.stdout) == (2, "")
    assert child.stderr.count("\n") == 1 and child.stderr.startswith("newsdesk: Your personal dictionary")
    assert path.read_bytes() == damaged


def test_a_folder_in_its_place_is_a_sentence(tmp_path: Path):
    path = tmp_path / "personal-dictionary.txt"
    path.mkdir()
    personal = dictionaries.PersonalDictionary(path)
    assert personal.words == frozenset()
    assert personal.problem is not None and "cannot be read (a folder or other non-file" in personal.problem
    with pytest.raises(PersonalDictionaryError, match="kept as it is"):
        personal.add("Makei")
    with pytest.raises(PersonalDictionaryError, match="cannot be read"):
        dictionaries.PersonalDictionary(path, strict=True)
    assert path.is_dir() and not any(path.iterdir())


def test_a_fifo_in_its_place_is_a_sentence_not_a_hang(tmp_path: Path):
    path = tmp_path / "personal-dictionary.txt"
    os.mkfifo(path)
    opened: list[dictionaries.PersonalDictionary] = []
    reader = threading.Thread(target=lambda: opened.append(dictionaries.PersonalDictionary(path)), daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading the personal dictionary waited for a writer on the FIFO")
    assert opened[0].problem is not None and "a folder or other non-file is in its place" in opened[0].problem
    with pytest.raises(PersonalDictionaryError):
        opened[0].add("Makei")
    assert path.is_fifo()


def test_a_file_without_permission_is_a_sentence_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "p.txt"
    path.write_text("Aleinik\n", encoding="utf-8")
    real_open = os.open

    def denied(file, flags, *args):
        if Path(file) == path and not flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, flags, *args)

    monkeypatch.setattr(os, "open", denied)
    personal = dictionaries.PersonalDictionary(path)
    assert personal.problem is not None and "cannot be read (Permission denied)" in personal.problem
    with pytest.raises(PersonalDictionaryError):
        personal.add("Makei")
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == "Aleinik\n"
    assert personal.refresh() is True and personal.problem is None and personal.words == {"Aleinik"}


def test_an_add_merges_with_what_another_copy_wrote(home: Path):
    window = dictionaries.personal_dictionary()
    other = dictionaries.personal_dictionary()
    window.add("Aleinik")
    other.add("Viasna")
    assert window.add("Makei") == "Makei"
    path = home / "data" / "personal-dictionary.txt"
    assert path.read_text(encoding="utf-8") == "Aleinik\nMakei\nViasna\n"
    assert other.remove("Makei") is True, "a remove re-reads too"
    assert other.words == {"Aleinik", "Viasna"}
    assert window.refresh() is True and window.words == {"Aleinik", "Viasna"}
    assert window.refresh() is False
    assert cli("dictionary", "list", "--personal", home=home).stdout == "Aleinik\nViasna\n"


ADDER = """
import sys
import threading
from pathlib import Path
from newsdesk.core.services.dictionaries import PersonalDictionary
personal = PersonalDictionary(Path(sys.argv[1]))
sys.stdin.readline()
for word in sys.argv[2:]:
    personal.add(word)
"""


@pytest.mark.parametrize("processes", [2, 4])
def test_processes_adding_at_once_lose_no_word(home: Path, processes: int):
    """Each child keeps one copy for its whole life, as the window does, and starts adding when told to."""
    path = home / "data" / "personal-dictionary.txt"
    for round_ in range(5):
        words = [f"Word{round_}x{n}" for n in range(30)]
        children = [
            subprocess.Popen(
                [sys.executable, "-c", ADDER, str(path), *words[n::processes]], stdin=subprocess.PIPE, text=True
            )
            for n in range(processes)
        ]
        for child in children:
            child.stdin.write("go\n")
            child.stdin.close()
        assert [child.wait(60) for child in children] == [0] * processes
        assert set(words) <= set(path.read_text(encoding="utf-8").split()), f"round {round_}"
    listed = cli("dictionary", "list", "--personal", home=home).stdout.split()
    assert len(listed) == 5 * 30


def test_newsroom_dictionary_is_shared_and_only_editors_remove(demo_store):
    seeded = dictionaries.newsroom_words(demo_store)
    assert "Aleinik" in seeded, "the demo story's names start the newsroom dictionary"
    dictionaries.add_newsroom_word(demo_store, "Tsikhanouskaya", user_id=None)
    dictionaries.add_newsroom_word(demo_store, "Makei")
    dictionaries.add_newsroom_word(demo_store, "Makei")
    dictionaries.add_newsroom_word(demo_store, "Loukachenko", language="fr")
    assert set(dictionaries.newsroom_words(demo_store)) == {*seeded, "Makei", "Tsikhanouskaya"}
    assert dictionaries.newsroom_words(demo_store, "fr") == ["Loukachenko"]
    with pytest.raises(NotPermitted):
        dictionaries.remove_newsroom_word(demo_store, "Makei", role=Role.REPORTER)
    assert dictionaries.remove_newsroom_word(demo_store, "Makei", role=Role.EDITOR) is True
    assert dictionaries.remove_newsroom_word(demo_store, "Makei", role="admin") is False
    assert set(dictionaries.newsroom_words(demo_store)) == {*seeded, "Tsikhanouskaya"}


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
    assert "d'Ivoire" in places and all(has_capital(word) for word in places)
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


@pytest.mark.parametrize("word", ["Aleinik\x00", "Ale\udc80nik"])
def test_a_dictionary_word_with_a_nul_or_broken_character_is_refused_by_name(word):
    with pytest.raises(InvalidField) as refused:
        dictionaries.clean_word(word)
    assert refused.value.field == "word"
