"""Related-link rules: what is refused, how an address is cleaned, duplicates, fallbacks, flags."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.core.errors import InvalidField
from newsdesk.core.records import LinkInput
from newsdesk.core.rules import links
from newsdesk.core.rules.links import (
    LinkTarget,
    check_unique,
    fallback_title,
    flag_reason,
    normalise_url,
    validate_title,
)
from newsdesk.core.rules.workflow import Action

JAVASCRIPT_SPELLINGS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "JaVaScRiPt:alert(1)",
    "jAVASCRIPT:alert(1)",
    "  javascript:alert(1)  ",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\rscript:alert(1)",
    "java script:alert(1)",
    "\x00javascript:alert(1)",
    "java\x00script:alert(1)",
    "\x01\x02javascript:alert(1)",
    "java\x7fscript:alert(1)",
    "java\u200bscript:alert(1)",
    "\ufeffjavascript:alert(1)",
    "java\u00adscript:alert(1)",
    "java\u2066script:alert(1)",
    "\u202ejavascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "jav&#9;ascript:alert(1)",
    "jav&#x0A;ascript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "&#0000106;&#0000097;vascript:alert(1)",
    "&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58alert(1)",
    "javascript&colon;alert(1)",
    "javascript&#58;alert(1)",
    "javascript&#x3a;alert(1)",
    "javascript&#58alert(1)",
    "&amp;#106;avascript:alert(1)",
    "ｊａｖａｓｃｒｉｐｔ:alert(1)",
    "javascript://example.com/%0Aalert(1)",
    "javascript:https://example.com",
]


@pytest.mark.parametrize("address", JAVASCRIPT_SPELLINGS)
def test_javascript_is_refused_however_it_is_spelt(address):
    with pytest.raises(InvalidField) as refused:
        normalise_url(address)
    assert refused.value.field == "url"
    assert "javascript:" in refused.value.message or "not a web address" in refused.value.message


@pytest.mark.parametrize("address", [
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    " data:image/svg+xml,<svg onload=alert(1)>",
    "d&#97;ta:text/html,x",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://files.example.com/a",
    "mailto:desk@example.com",
    "tel:+15555550100",
    "blob:https://example.com/uuid",
    "about:blank",
])
def test_only_http_and_https_are_accepted(address):
    with pytest.raises(InvalidField, match="Only web addresses"):
        normalise_url(address)


@pytest.mark.parametrize(("raw", "expected"), [
    ("HTTPS://Port.Example.ORG/news", "https://port.example.org/news"),
    ("Http://EXAMPLE.com", "http://example.com/"),
    ("  https://example.com/a b  ", "https://example.com/a%20b"),
    ("https://example.com /page", "https://example.com/page"),
    ("https://example.com/page?q=strike ends#top", "https://example.com/page?q=strike%20ends#top"),
    ("https://example.com:443/x", "https://example.com/x"),
    ("http://example.com:80/x", "http://example.com/x"),
    ("https://example.com:8443/x", "https://example.com:8443/x"),
    ("https://example.com./x", "https://example.com/x"),
    ("www.apnews.com/hub/belarus", "https://www.apnews.com/hub/belarus"),
    ("apnews.com", "https://apnews.com/"),
    ("example.com:8080/x", "https://example.com:8080/x"),
    ("//cdn.example.com/a", "https://cdn.example.com/a"),
    ("https://example.com/?a=1&amp;b=2", "https://example.com/?a=1&b=2"),
    ("https://example.com/?a=1&copy=2", "https://example.com/?a=1&copy=2"),
    ("https://example.com/100%25", "https://example.com/100%25"),
    ("https://example.com/100%", "https://example.com/100%25"),
    ("https://example.com/été", "https://example.com/%C3%A9t%C3%A9"),
    ("https://example.com/a\u200bb", "https://example.com/ab"),
    ("https://[2001:DB8::1]:8080/a", "https://[2001:db8::1]:8080/a"),
    ("http://localhost:5000/", "http://localhost:5000/"),
])
def test_addresses_are_normalised(raw, expected):
    assert normalise_url(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("https://bücher.de/straße", "https://xn--bcher-kva.de/stra%C3%9Fe"),
    ("https://BÜCHER.DE", "https://xn--bcher-kva.de/"),
    ("bücher.de", "https://xn--bcher-kva.de/"),
    ("https://例子.中国/新闻", "https://xn--fsqu00a.xn--fiqs8s/%E6%96%B0%E9%97%BB"),
    ("https://пример.рф", "https://xn--e1afmkfd.xn--p1ai/"),
    ("https://xn--bcher-kva.de/", "https://xn--bcher-kva.de/"),
    ("https://ｅｘａｍｐｌｅ.com/", "https://example.com/"),
])
def test_unicode_hosts_become_their_ascii_form(raw, expected):
    assert normalise_url(raw) == expected


def test_the_same_page_in_two_spellings_normalises_to_one_address():
    assert normalise_url("bücher.de") == normalise_url("HTTPS://xn--BCHER-KVA.de:443/")


@pytest.mark.parametrize(("raw", "message"), [
    ("", "no address"),
    ("   \t\n ", "no address"),
    ("\x00\x01", "no address"),
    ("nohost", "not a web address"),
    ("just some words", "not a web address"),
    ("https://", "no host name"),
    ("http:\\\\evil.example.com", "no host name"),
    ("https://x", "not a complete host name"),
    ("https://exa mple.com/x", "not a valid host name"),
    ("https://x..com", "not a valid host name"),
    ("https://-x.com", "not a valid host name"),
    ("https://x_y.com", "not a valid host name"),
    ("https://" + "a" * 64 + ".com", "not a valid host name"),
    ("https://example.com:99999/", "not a port number"),
    ("https://example.com:0/", "not a port number"),
    ("https://user:secret@example.com/", "user name or password"),
    ("https://apnews.com@evil.example.com/", "user name or password"),
    ("https://example.com/" + "a" * 3000, "limited to 2,048"),
    ("https://example.com/" + "é" * 1000, "once encoded"),
])
def test_bad_addresses_are_refused_with_a_reason(raw, message):
    with pytest.raises(InvalidField, match=message):
        normalise_url(raw)


def test_a_refusal_message_never_carries_a_whole_pasted_page():
    with pytest.raises(InvalidField) as refused:
        normalise_url("not a link " * 100)
    assert len(refused.value.message) < 200


def test_the_same_target_twice_is_refused():
    with pytest.raises(InvalidField, match=re.escape("already links to https://example.com/a")):
        check_unique([LinkTarget(url="https://example.com/a"), LinkTarget(url="https://example.com/a")])
    with pytest.raises(InvalidField, match="already links to that story"):
        check_unique([LinkTarget(story_id=4), LinkTarget(url="https://example.com/"), LinkTarget(story_id=4)])


@pytest.mark.parametrize("other", [
    "http://example.com/a", "https://example.com/a/", "https://example.com/a#comments",
])
def test_http_https_trailing_slash_and_fragment_are_the_same_target(other):
    with pytest.raises(InvalidField, match="already links"):
        check_unique([LinkTarget(url="https://example.com/a"), LinkTarget(url=normalise_url(other))])


def test_different_pages_and_queries_are_different_targets():
    check_unique([
        LinkTarget(url="https://example.com/a"), LinkTarget(url="https://example.com/b"),
        LinkTarget(url="https://example.com/a?page=2"), LinkTarget(url="https://other.example.com/a"),
        LinkTarget(story_id=1), LinkTarget(story_id=2),
    ])


def test_titles_are_tidied_and_limited():
    assert validate_title("  Belarus \n news\t ") == "Belarus news"
    assert validate_title("Split\x01by\u200bnothing") == "Split by nothing"
    assert validate_title("evil\u202eexe.txt") == "evil exe.txt"
    assert validate_title("می\u200cخواهم 👩\u200d💻") == "می\u200cخواهم 👩\u200d💻"
    assert validate_title("") == ""
    assert validate_title("<script>alert(1)</script>") == "<script>alert(1)</script>"
    with pytest.raises(InvalidField, match="keep it under 300"):
        validate_title("x" * 301)


def test_an_empty_title_falls_back_to_the_headline_or_host_and_path():
    assert fallback_title(None, "Harbour opens again") == "Harbour opens again"
    assert fallback_title("https://www.apnews.com/hub/belarus/", None) == "apnews.com/hub/belarus"
    assert fallback_title("https://example.com/", None) == "example.com"
    assert fallback_title("https://example.com/caf%C3%A9", None) == "example.com/café"
    assert fallback_title(None, None) == ""


def test_links_to_spiked_or_killed_stories_are_flagged():
    assert flag_reason("spiked") and flag_reason("killed")
    assert flag_reason("published") is None and flag_reason(None) is None
    assert set(links.FLAGGED_STATUSES) == {"spiked", "killed"}


def test_service_refuses_hostile_links_and_writes_nothing(service):
    story = service.create("Port reopens")
    for address in ("javascript:alert(1)", "JAVA&#x09;SCRIPT:alert(1)", "data:text/html,x"):
        with pytest.raises(InvalidField):
            service.add_link(story.id, LinkInput("Evil", url=address))
    assert service.get(story.id).links == ()
    assert service.get(story.id).version == story.version


def test_service_refuses_a_link_with_both_targets(service):
    story = service.create("Port reopens")
    other = service.create("Harbour news")
    with pytest.raises(InvalidField, match="not both"):
        service.add_link(story.id, LinkInput("Both", url="https://example.com/", story=other.id))


def test_service_refuses_the_same_page_spelt_differently(service):
    story = service.create("Port reopens")
    story = service.add_link(story.id, LinkInput("Port", url="https://port.example.org/news"))
    with pytest.raises(InvalidField, match="already links"):
        service.add_link(story.id, LinkInput("Port again", url="HTTP://Port.Example.org/news/#top"))


def test_internal_links_flag_spiked_and_killed_targets_and_follow_headlines(service):
    story = service.create("Port reopens")
    spiked = service.create("Rumour about the port")
    service.transition(spiked.id, Action.SPIKE)
    target = service.create("Harbour news")
    story = service.add_link(story.id, LinkInput("", story=spiked.id))
    story = service.add_link(story.id, LinkInput("", story=target.slug))
    assert [link.flagged for link in story.links] == [True, False]
    assert story.links[0].to_json()["flagged"] is True
    service.update(target.id, {"headline": "Harbour news, updated", "slug": "harbour-news-updated"}, expected_version=None)
    reread = service.get(story.id).links[1]
    assert (reread.title, reread.story_slug) == ("Harbour news, updated", "harbour-news-updated")


@settings(max_examples=400, deadline=None)
@given(
    st.text(max_size=80)
    | st.builds(lambda host, path: f"https://{host}/{path}", st.text(min_size=1, max_size=20), st.text(max_size=30))
    | st.lists(
        st.sampled_from([*"htps:/[]%@#?&;=. \t\x00-_~éü中xn25AF", "&#58;", "&amp;", "www.", ".com", ":443", "%2"]), max_size=30
    ).map("".join)
)
def test_any_text_is_refused_or_becomes_a_stable_web_address(text):
    try:
        url = normalise_url(text)
    except InvalidField as refused:
        assert refused.field == "url" and refused.message
        return
    assert url.startswith(("http://", "https://"))
    assert url.isascii() and not any(ch.isspace() or ord(ch) < 32 for ch in url)
    assert normalise_url(url) == url


_NOISE = st.sampled_from(
    ["", "", "", "\t", "\n", "\r", "\x00", "\x0b", "\u200b", "\ufeff", "&#x09;", "&#9;", "&#10;", "&Tab;", "&NewLine;"]
)


def _disguised(word: str) -> st.SearchStrategy[str]:
    """`word:` with each letter in either case, perhaps written as an entity, with invisible noise between letters."""
    def letter(ch: str) -> st.SearchStrategy[str]:
        return st.sampled_from([ch.lower(), ch.upper(), f"&#{ord(ch)};", f"&#x{ord(ch):x};", f"&#{ord(ch):07d};", f"&#{ord(ch)}"])

    parts = [st.tuples(letter(ch), _NOISE).map("".join) for ch in word]
    colon = st.sampled_from([":", "&colon;", "&#58;", "&#x3A;", "&#58"])
    return st.tuples(_NOISE, *parts, colon, st.sampled_from(["alert(1)", "//example.com/", "text/html,x"])).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_disguised("javascript"), _disguised("data"), _disguised("vbscript")))
def test_no_disguise_gets_a_script_or_data_scheme_through(text):
    with pytest.raises(InvalidField) as refused:
        normalise_url(text)
    assert refused.value.field == "url"


def test_the_duplicate_message_spells_the_address_as_the_list_does():
    with pytest.raises(InvalidField, match=r"already links to https://example\.com/\.$"):
        check_unique([LinkTarget(url="https://example.com/"), LinkTarget(url="http://example.com/")])


def test_a_typed_address_with_spaces_in_it_is_refused():
    from newsdesk.core.rules.links import check_typed_url

    with pytest.raises(InvalidField, match=r"no spaces.*“https://www\.halifax\.ca/repairsBridge …”.*Title field"):
        check_typed_url("https://www.halifax.ca/repairsBridge repair project page")
    assert check_typed_url("  https://www.halifax.ca/bridge  ") == "https://www.halifax.ca/bridge"
    assert normalise_url("https://example.com/a b") == "https://example.com/a%20b", "pasted or imported addresses are still encoded"
