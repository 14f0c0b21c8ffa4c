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


def test_every_field_of_a_story_is_checked_and_named(service, store, tmp_path):
    from newsdesk.core.records import LinkInput

    record = service.create(
        "Abuot teh mayer",
        subheadline="The dek has a speling slip",
        summary="A sumary",
        tagline="Jane Doe is a reportr",
        body="The body is fine, but for one wrod.",
        byline="Edith M. Lederer and Jane Doe",
        links=[LinkInput(title="Tsikhanouskaya interview", url="https://example.com/a")],
    )
    found = spellcheck.check_story(record, store=store, personal=dictionaries.PersonalDictionary(tmp_path / "p.txt"))
    assert [(item.story_field, item.word) for item in found] == [
        ("headline", "Abuot"), ("headline", "teh"), ("subheadline", "speling"), ("summary", "sumary"),
        ("tagline", "reportr"), ("body", "wrod"),
    ]
    assert found[0].to_json()["field"] == "headline"


def test_names_from_the_byline_dateline_tagline_and_link_titles_are_never_flagged(service, store, tmp_path):
    from newsdesk.core.records import LinkInput
    from newsdesk.core.rules.dateline import Dateline

    record = service.create(
        "Haddish and Tsikhanouskaya meet Zhukovets",
        body="Lederer’s report: Haddish’s talk with Tsikhanouskaya in Zhukovets and Makei.",
        byline="Edith M. Lederer",
        dateline=Dateline("ZHUKOVETS, Belarus", "AP", None),
        tagline="With Tiffany Haddish.",
        links=[LinkInput(title="Tsikhanouskaya interview", url="https://example.com/a")],
    )
    personal = dictionaries.PersonalDictionary(tmp_path / "p.txt")
    found = spellcheck.check_story(record, store=store, personal=personal, suggestions=False)
    assert [(item.story_field, item.word) for item in found] == [("headline", "Zhukovets"), ("body", "Zhukovets"), ("body", "Makei")]
    dictionaries.add_newsroom_word(store, "Makei")
    assert [item.word for item in spellcheck.check_story(record, store=store, personal=personal)] == ["Zhukovets"] * 2


def test_a_new_story_takes_the_stores_default_language(service, store):
    from newsdesk.core.services import settings

    assert service.create("One").language == "en"
    settings.put(store, service.actor, "default_language", "en-GB")
    assert service.create("Two").language == "en-GB"
    assert service.create("Three", language="fr").language == "fr"


def test_the_newsroom_setting_flags_the_other_english(store, admin, tmp_path):
    from newsdesk.core.services import settings

    personal = dictionaries.PersonalDictionary(tmp_path / "p.txt")
    assert spellcheck.open_checker("en-GB", store=store, personal=personal).is_known("color")
    settings.put(store, admin, "flag_other_english", "true")
    british = spellcheck.open_checker("en-GB", store=store, personal=personal)
    american = spellcheck.open_checker("en-US", store=store, personal=personal)
    assert not british.is_known("color") and british.suggest("color")[0] == "colour"
    assert not american.is_known("colour") and american.suggest("colour")[0] == "color"
    assert british.is_known("colour") and american.is_known("color")
