"""`newsdesk spell FILE`: the listing, the JSON, the exit codes scripts rely on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

STORY = "The goverment said it didn’t recieve the U.N. report on the 20th.\n\nSee [the report](https://apnews.com/x).\n"


@pytest.fixture
def story_file(tmp_path: Path) -> Path:
    path = tmp_path / "story.md"
    path.write_text(STORY, encoding="utf-8")
    return path


def test_unknown_words_are_listed_with_line_column_and_suggestions(run_cli, story_file, home):
    code, out, err = run_cli("spell", str(story_file))
    assert code == 1, err
    assert out.splitlines() == [
        f"{story_file}:1:5: goverment (did you mean government, governments?)",
        f"{story_file}:1:30: recieve (did you mean receive, relieve, received, receives, recipe?)",
    ]
    assert not (home / "data" / "newsdesk.sqlite").exists()


def test_json_lists_word_line_column_and_suggestions_best_first(run_cli, story_file):
    code, out, _ = run_cli("spell", str(story_file), "--json")
    assert code == 1
    found = json.loads(out)
    assert [set(item) for item in found] == [{"word", "text", "line", "column", "suggestions"}] * 2
    assert [(item["word"], item["line"], item["column"], item["suggestions"][0]) for item in found] == [
        ("goverment", 1, 5, "government"),
        ("recieve", 1, 30, "receive"),
    ]


def test_a_clean_file_exits_zero(run_cli, tmp_path):
    path = tmp_path / "clean.txt"
    path.write_text("Belarus’ foreign minister didn’t say so on Nov. 20th.\n", encoding="utf-8")
    assert run_cli("spell", str(path), "--json") == (0, "[]\n", "")
    code, out, _ = run_cli("spell", str(path))
    assert (code, out) == (0, f"{path}: no unknown words\n")


def test_standard_input(run_cli):
    code, out, _ = run_cli("spell", "-", stdin="A speling mistake.\n")
    assert code == 1 and out.startswith("<stdin>:1:3: speling")


def test_language_option_picks_the_dictionary(run_cli, tmp_path):
    path = tmp_path / "fr.txt"
    path.write_text("Le gouvernement a dit non.\n", encoding="utf-8")
    assert run_cli("spell", str(path), "--language", "fr")[0] == 0
    assert run_cli("spell", str(path))[0] == 1


def test_capitals_option_checks_acronyms(run_cli, tmp_path):
    path = tmp_path / "caps.txt"
    path.write_text("THE GOVERMENT SAID\n", encoding="utf-8")
    assert run_cli("spell", str(path))[0] == 0
    code, out, _ = run_cli("spell", str(path), "--capitals", "--json")
    assert code == 1 and [item["word"] for item in json.loads(out)] == ["GOVERMENT"]


def test_the_newsroom_dictionary_is_used_when_a_store_exists(run_cli, tmp_path, home):
    from newsdesk.core.services.dictionaries import add_newsroom_word
    from newsdesk.core.store.opening import open_store

    path = tmp_path / "names.txt"
    path.write_text("Makei spoke.\n", encoding="utf-8")
    assert run_cli("spell", str(path))[0] == 1
    store = open_store(None)
    add_newsroom_word(store, "Makei")
    store.close()
    assert run_cli("spell", str(path))[0] == 0
    assert run_cli("spell", str(path), "--no-store")[0] == 1


def test_the_personal_dictionary_is_used(run_cli, tmp_path, home):
    from newsdesk.core.services.dictionaries import personal_dictionary

    path = tmp_path / "names.txt"
    path.write_text("Bialiatski spoke.\n", encoding="utf-8")
    personal_dictionary().add("Bialiatski")
    assert run_cli("spell", str(path)) == (0, f"{path}: no unknown words\n", "")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.md", "no such file"),
        (lambda p: p, "is a folder"),
        (lambda p: (p / "photo.jpg").write_bytes(b"\xff\xd8\xff\x00\x10JFIF") and p / "photo.jpg", "is not a text file"),
        (lambda p: (p / "latin1.txt").write_bytes("caf\xe9".encode("latin-1")) and p / "latin1.txt", "not UTF-8"),
    ],
)
def test_files_that_cannot_be_checked_exit_two(run_cli, tmp_path, make, message):
    code, out, err = run_cli("spell", str(make(tmp_path)))
    assert code == 2 and out == ""
    assert err.startswith("newsdesk: ") and message in err


def test_an_unknown_language_exits_two(run_cli, story_file):
    code, _, err = run_cli("spell", str(story_file), "--language", "xx")
    assert code == 2 and "no spelling dictionary" in err


def test_the_spell_command_imports_neither_qt_nor_the_store_when_there_is_none(tmp_path, story_file):
    import subprocess
    import sys

    probe = (
        "import sys; from newsdesk.cli.main import main; code = main(['spell', sys.argv[1], '--json']); "
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'; "
        "assert 'sqlalchemy' not in sys.modules, 'SQLAlchemy imported'; sys.exit(code)"
    )
    env = {"NEWSDESK_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", probe, str(story_file)], capture_output=True, text=True, env=env)
    assert result.returncode == 1 and result.stderr == "", result.stderr
    assert json.loads(result.stdout)[0]["word"] == "goverment"


def test_front_matter_and_page_code_are_not_checked(run_cli, tmp_path):
    markdown = tmp_path / "story.md"
    markdown.write_text("---\nslug: belarus-diplomt\n---\nThe goverment.\n", encoding="utf-8")
    code, out, _ = run_cli("spell", str(markdown), "--json")
    assert code == 1 and [(item["word"], item["line"]) for item in json.loads(out)] == [("goverment", 4)]
    page = tmp_path / "page.html"
    page.write_text('<html><head><script>var recieved = 1;</script></head><body><p>All fine.</p></body></html>',
                    encoding="utf-8")
    assert run_cli("spell", str(page)) == (0, f"{page}: no unknown words\n", "")


def _story_with_slips(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A story with a slip in each field, by `editor`, who signs in with a password (a shared store needs one)."""
    from actors import get_actor

    from newsdesk.core.records import LinkInput
    from newsdesk.core.services.stories import StoryService
    from newsdesk.core.services.users import set_password
    from newsdesk.core.store.opening import open_store

    store = open_store(store_url)
    editor = get_actor(store, "editor")
    set_password(store, editor, "editor", "correct horse battery")
    monkeypatch.setenv("NEWSDESK_PASSWORD", "correct horse battery")
    StoryService(store, editor).create(
        "Abuot teh plan",
        slug="slips",
        subheadline="A dek with a speling slip",
        summary="A sumary",
        tagline="Jane Doe reportr.",
        body="Tsikhanouskaya’s body text has one wrod.\n\nAnd Zhukovets’ line.",
        byline="Jane Doe",
        links=[LinkInput(title="Tsikhanouskaya interview", url="https://example.com/a")],
    )
    store.close()


def test_story_option_checks_every_field_and_names_it(run_cli, store, store_url, monkeypatch):
    _story_with_slips(store_url, monkeypatch)
    code, out, err = run_cli("--database", store_url, "--user", "editor", "spell", "--story", "slips", "--json")
    assert code == 1, err
    found = json.loads(out)
    assert [(item["field"], item["word"], item["line"], item["column"]) for item in found] == [
        ("headline", "Abuot", 1, 1), ("headline", "teh", 1, 7), ("subheadline", "speling", 1, 14),
        ("summary", "sumary", 1, 3), ("tagline", "reportr", 1, 10), ("body", "wrod", 1, 36),
        ("body", "Zhukovets", 3, 5),
    ]
    assert found[0]["suggestions"][0] == "About" and found[1]["suggestions"][0] == "the"
    code, out, _ = run_cli("--database", store_url, "--user", "editor", "spell", "--story", "slips")
    assert code == 1 and out.splitlines()[0].startswith("slips:headline:1:1: Abuot (did you mean About")


def test_story_option_as_a_second_process_sees_a_saved_fix(run_cli, store, store_url, home, monkeypatch):
    import os
    import subprocess
    import sys

    _story_with_slips(store_url, monkeypatch)
    assert run_cli("--database", store_url, "--user", "editor", "story", "set", "slips", "headline=About the plan")[0] == 0

    def child() -> tuple[int, list]:
        result = subprocess.run(
            [sys.executable, "-m", "newsdesk", "--database", store_url, "--user", "editor", "spell", "--story", "slips",
             "--json"],
            capture_output=True, text=True, env={**os.environ, "NEWSDESK_HOME": str(home)}, timeout=120, check=False,
        )
        return result.returncode, json.loads(result.stdout)

    code, found = child()
    assert code == 1 and "headline" not in {item["field"] for item in found}
    assert run_cli("--database", store_url, "--user", "editor", "dictionary", "add", "Zhukovets")[0] == 0
    code, found = child()
    assert [item["word"] for item in found] == ["speling", "sumary", "reportr", "wrod"]


def test_story_option_without_a_store_or_story_exits_two(run_cli, home):
    code, _, err = run_cli("spell", "--story", "nothing-here")
    assert code == 2 and "no store yet" in err
    assert not (home / "data" / "newsdesk.sqlite").exists()
    code, _, err = run_cli("spell")
    assert code == 2 and "FILE --story" in err


def test_the_file_listing_names_a_possessive_name_as_the_name(run_cli, tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("Zhukovets’ mayor met Tsikhanouskaya’s aide.\n", encoding="utf-8")
    code, out, _ = run_cli("spell", str(path), "--no-store", "--json")
    assert code == 1 and [(item["word"], item["text"]) for item in json.loads(out)] == [
        ("Zhukovets", "Zhukovets"), ("Tsikhanouskaya", "Tsikhanouskaya’s"),
    ]


def test_an_english_variant_prefers_its_own_spelling(run_cli, tmp_path):
    path = tmp_path / "harbour.txt"
    path.write_text("The harbour and the harbor. A harbur.\n", encoding="utf-8")
    code, out, _ = run_cli("spell", str(path), "--no-store", "--language", "en-GB", "--json")
    assert code == 1 and [(item["word"], item["suggestions"][0]) for item in json.loads(out)] == [("harbur", "harbour")]
    code, out, _ = run_cli("spell", str(path), "--no-store", "--language", "en-US", "--json")
    assert code == 1 and [(item["word"], item["suggestions"][0]) for item in json.loads(out)] == [("harbur", "harbor")]


def test_story_option_checks_each_images_alt_text_and_caption(run_cli, store, store_url, monkeypatch, tmp_path):
    from picture_files import jpeg

    _story_with_slips(store_url, monkeypatch)
    picture = tmp_path / "quay.jpg"
    picture.write_bytes(jpeg(64, 48))
    code, _, err = run_cli("--database", store_url, "--user", "editor", "image", "add", "slips", str(picture),
                           "--alt", "Dockers on the quay", "--caption", "The harbuor at dawn")
    assert code == 0, err
    code, out, err = run_cli("--database", store_url, "--user", "editor", "spell", "--story", "slips", "--json")
    assert code == 1, err
    assert [(item["field"], item["word"]) for item in json.loads(out) if item["field"].startswith("image")] == [
        ("image1.caption", "harbuor")]
