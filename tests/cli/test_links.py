"""`newsdesk links`: listing, adding, removing and moving related links; numbers count from 1."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

DEMO = "belarus-diplomat-ukraine-war"


def _new(run_cli, headline: str) -> dict:
    code, out, err = run_cli("story", "new", "--headline", headline, "--json")
    assert code == 0, err
    return json.loads(out)


def _links(run_cli, ref: str) -> list[dict]:
    code, out, err = run_cli("links", ref, "--json")
    assert code == 0, err
    return json.loads(out)["links"]


def test_list_numbers_links_from_one(run_cli):
    code, out, _ = run_cli("links", DEMO)
    assert code == 0
    assert out.splitlines()[1:] == [
        "  1. Belarus news — https://apnews.com/hub/belarus",
        "  2. Russia-Ukraine war — https://apnews.com/hub/russia-ukraine",
        "  3. United Nations General Assembly — https://apnews.com/hub/united-nations-general-assembly",
    ]


def test_json_carries_position_from_zero_and_number_from_one(run_cli):
    code, out, _ = run_cli("--user", "editor", "links", "--json", DEMO)
    assert code == 0
    data = json.loads(out)
    assert data["slug"] == DEMO and isinstance(data["version"], int)
    assert [(link["position"], link["number"]) for link in data["links"]] == [(0, 1), (1, 2), (2, 3)]
    assert data["links"][0] == {
        "position": 0, "number": 1, "title": "Belarus news", "url": "https://apnews.com/hub/belarus",
        "story": None, "flagged": False,
    }


def test_add_url_and_story_links_in_order(run_cli):
    story = _new(run_cli, "Port reopens")
    target = _new(run_cli, "Harbour news")
    code, out, _ = run_cli("links", "add", story["slug"], "--title", "AP hub", "--url", " HTTPS://APNews.com/hub/belarus ")
    assert code == 0 and out.startswith("Added link 1: AP hub.")
    code, out, _ = run_cli("links", "add", str(story["id"]), "--story", target["slug"], "--at", "1")
    assert code == 0 and "Added link 1: Harbour news." in out
    code, _, _ = run_cli("links", "add", story["slug"], "--url", "www.example.com/page%20one")
    assert code == 0
    links = _links(run_cli, story["slug"])
    assert [(link["title"], link["url"], link["story"] and link["story"]["slug"]) for link in links] == [
        ("Harbour news", None, "harbour-news"),
        ("AP hub", "https://apnews.com/hub/belarus", None),
        ("example.com/page one", "https://www.example.com/page%20one", None),
    ]


def test_move_and_remove_use_the_printed_numbers(run_cli):
    story = _new(run_cli, "Three links")
    for name in ("one", "two", "three"):
        assert run_cli("links", "add", story["slug"], "--title", name, "--url", f"https://example.com/{name}")[0] == 0
    code, out, _ = run_cli("links", "move", story["slug"], "3", "1")
    assert code == 0 and out.startswith("Moved link 3 to 1.")
    assert [link["title"] for link in _links(run_cli, story["slug"])] == ["three", "one", "two"]
    code, out, _ = run_cli("links", "remove", story["slug"], "2", "--json")
    assert code == 0
    assert [link["title"] for link in json.loads(out)["links"]] == ["three", "two"]


@pytest.mark.parametrize(("argv", "message"), [
    (("add", "{slug}", "--title", "x", "--url", "javascript:alert(1)"), "“javascript:” links are refused"),
    (("add", "{slug}", "--title", "x", "--url", "JaVa&#x09;ScRiPt:alert(1)"), "“javascript:” links are refused"),
    (("add", "{slug}", "--url", "data:text/html,<script>alert(1)</script>"), "“data:” links are refused"),
    (("add", "{slug}", "--url", "https://example.com/a"), "already links to https://example.com/a"),
    (("add", "{slug}", "--url", "http://EXAMPLE.com/a/"), "already links"),
    (("add", "{slug}", "--story", "{slug}"), "cannot link to itself"),
    (("add", "{slug}", "--story", "no-such-story"), "There is no story “no-such-story”"),
    (("add", "{slug}", "--url", "https://example.com/b", "--at", "5"), "There is no link 5 (--at); the story has links 1 to 2."),
    (("remove", "{slug}", "3"), "There is no link 3 (N); the story has links 1 to 1."),
    (("move", "{slug}", "1", "2"), "There is no link 2 (TO)"),
    (("no-such-story",), "There is no story “no-such-story”"),
])
def test_refusals_are_one_line_and_write_nothing(run_cli, argv, message):
    story = _new(run_cli, "Guarded story")
    assert run_cli("links", "add", story["slug"], "--url", "https://example.com/a")[0] == 0
    before = json.loads(run_cli("links", story["slug"], "--json")[1])
    code, out, err = run_cli("links", *[word.format(slug=story["slug"]) for word in argv])
    assert code == 2 and out == ""
    assert err.startswith("newsdesk: ") and message in err and err.count("\n") == 1
    assert json.loads(run_cli("links", story["slug"], "--json")[1]) == before


def test_an_address_with_spaces_is_refused_as_the_window_refuses_it(run_cli):
    from newsdesk.core.errors import InvalidField
    from newsdesk.core.rules.links import check_typed_url

    typed = "https://www.halifax.ca/repairsBridge repair project page"
    with pytest.raises(InvalidField) as rule:
        check_typed_url(typed)
    story = _new(run_cli, "Bridge repairs")
    code, out, err = run_cli("links", "add", story["slug"], "--url", typed)
    assert (code, out) == (2, "") and err == f"newsdesk: {rule.value.message}\n"
    second = subprocess.run([sys.executable, "-m", "newsdesk", "links", story["slug"], "--json"],
                            check=False, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["links"] == []
    fixed = ("--url", "https://www.halifax.ca/repairs", "--title", "Bridge repair project page")
    assert run_cli("links", "add", story["slug"], *fixed)[0] == 0
    assert [link["url"] for link in _links(run_cli, story["slug"])] == ["https://www.halifax.ca/repairs"]


@pytest.mark.parametrize("argv", [
    ("remove", "x", "0"), ("move", "x", "1", "-1"), ("remove", "x", "first"), ("add", "x", "--title", "t"),
    ("add", "x", "--url", "https://a.example.com", "--story", "y"), (),
])
def test_bad_command_lines_are_usage_errors(run_cli, argv):
    code, _, err = run_cli("links", *argv)
    assert code == 2 and "usage: newsdesk links" in err


def test_links_to_spiked_stories_are_flagged(run_cli):
    story = _new(run_cli, "Port reopens")
    rumour = _new(run_cli, "Rumour about the port")
    assert run_cli("links", "add", story["slug"], "--story", str(rumour["id"]))[0] == 0
    assert run_cli("story", "spike", rumour["slug"])[0] == 0
    _code, out, _ = run_cli("links", story["slug"])
    assert "story {} (rumour-about-the-port, spiked)".format(rumour["id"]) in out
    assert "FLAGGED: The linked story was spiked" in out
    assert _links(run_cli, story["slug"])[0]["flagged"] is True


def test_story_show_numbers_links_the_same_way(run_cli):
    _code, out, _ = run_cli("story", "show", DEMO)
    assert "  1. Belarus news — https://apnews.com/hub/belarus" in out
