"""The words of a story that spelling should look at, and where each one sits.

A checker that underlines numbers, web addresses or the parts of a Markdown
link gets switched off, so the tokenizer leaves out everything that is not
prose: fenced and inline code, HTML tags and entities, link targets and
reference definitions, URLs, e-mail addresses, handles and hashtags, numbers
and ordinals (1,496, 20th, 1990s), abbreviations written with periods (U.N.,
a.m., Ph.D.), single letters, and words in capitals (acronyms such as NATO)
unless the caller asks for them. Hyphenated compounds are split so each part is
checked; typographic apostrophes count as straight ones.

Each token carries its character offset in the text and a 1-based line and
column, so the editor can underline it and the command line can point at it.
The text is walked line by line (`tokenize_line`) so an editor can re-check
only the lines that changed, carrying the "inside a code fence" state along.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

APOSTROPHES = "'\u2019\u02bc\u2018"
_APOSTROPHE_CLASS = "['\u2019\u02bc\u2018]"

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$")

# What is not prose, each with what a line must hold for it to match there: a line holding none of
# these is prose as it stands, and the editor asks at each keystroke, so only the patterns that can
# match are run (the five keyed on a period, tried at every letter, cost most of a paragraph's time).
_NOT_PROSE: tuple[tuple[str, str | re.Pattern[str]], ...] = (
    (r"(?P<code>`+)[^`]*?(?P=code)", "`"),
    (r"<!--.*?(?:-->|$)", "<"),
    (r"<(?:[a-z][a-z0-9+.-]*:|mailto:)[^>\s]*>", "<"),
    (r"</?[A-Za-z][^>]*>", "<"),
    (r"&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);", "&"),
    (r"\]\(\s*<?[^)\s>]*>?(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)", "]("),
    (r"\]\[[^\]]*\]", "]["),
    (r"\[\^[^\]]+\]", "[^"),
    (r"\{[#.:][^}]*\}", "{"),
    (r"\b(?:https?|ftp|file|mailto):[^\s<>()\[\]]+", ":"),
    (r"\bwww\.[^\s<>()\[\]]+", re.compile(r"www\.", re.IGNORECASE)),
    (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", "@"),
    (
        r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|int|mil|info|news|io|uk|eu)\b(?:/[^\s<>()]*)?",
        re.compile(r"\.(?:com|org|net|gov|edu|int|mil|info|news|io|uk|eu)\b", re.IGNORECASE),
    ),
    (r"(?<![\w@#])[@#][^\W_][\w]*", re.compile("[@#]")),
    (r"(?<![^\W\d_])(?:[A-Za-z]{1,2}\.){2,}", re.compile(r"\.[A-Za-z]{1,2}\.", re.IGNORECASE)),
)
_WORD = re.compile(rf"[^\W_]+(?:{_APOSTROPHE_CLASS}[^\W_]+)*")
_DIGIT = re.compile(r"\d")
# Scripts written without spaces, and about how many characters make a word in them.
UNSPACED = (
    (re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d]"), 2),
    (re.compile(r"[\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff]"), 5),
)
_STRAIGHTEN = str.maketrans(dict.fromkeys(APOSTROPHES[1:], "'"))


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*$", re.DOTALL | re.MULTILINE)
_HTML_CODE = re.compile(
    r"<(script|style|template)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<!DOCTYPE[^>]*>", re.DOTALL | re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Token:
    """One word to check: `text` as written, `word` as the dictionaries see it."""

    text: str
    word: str
    start: int
    line: int
    column: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def is_possessive(self) -> bool:
        return self.word[-2:] in ("'s", "'S")

    @property
    def stem(self) -> str:
        """The word without a possessive 's (Lukashenko's → Lukashenko)."""
        return self.word[:-2] if self.is_possessive else self.word


def normalise_apostrophes(word: str) -> str:
    """Typographic apostrophes (’ ʼ ‘) become the straight one the dictionaries use."""
    return word.translate(_STRAIGHTEN)


def blank_non_prose(text: str, kind: str) -> str:
    """`text` with what is not prose blanked out, lines and columns unchanged.

    `kind` "markdown" blanks YAML front matter at the top; "html" blanks
    scripts (JSON-LD included), styles, templates, comments and the doctype.
    Other kinds come back as they are.
    """
    pattern = {"markdown": _FRONT_MATTER, "html": _HTML_CODE}.get(kind)
    if pattern is None:
        return text
    return pattern.sub(lambda match: re.sub(r"[^\r\n]", " ", match.group(0)), text)


def is_fence(line: str) -> bool:
    return _FENCE.match(line) is not None


def tokenize(text: str, *, check_capitals: bool = False) -> list[Token]:
    """Every word of `text` worth checking, in order."""
    tokens: list[Token] = []
    fenced = False
    offset = 0
    line_number = 1
    position = 0
    for match in _LINE_BREAK.finditer(text):
        line = text[position : match.start()]
        found, fenced = tokenize_line(
            line, line_number=line_number, offset=offset, fenced=fenced, check_capitals=check_capitals
        )
        tokens.extend(found)
        offset += match.end() - position
        position = match.end()
        line_number += 1
    found, _ = tokenize_line(
        text[position:], line_number=line_number, offset=offset, fenced=fenced, check_capitals=check_capitals
    )
    tokens.extend(found)
    return tokens


def tokenize_line(
    line: str,
    *,
    line_number: int = 1,
    offset: int = 0,
    fenced: bool = False,
    check_capitals: bool = False,
) -> tuple[list[Token], bool]:
    """The words of one line and whether the line after it is inside a code fence.

    `offset` is the character offset of the line's start in the whole text;
    `fenced` says whether this line starts inside a fenced code block.
    """
    words, fenced_after = line_words(line, fenced=fenced)
    found = (word_token(text, column, line_number, offset, check_capitals) for text, column in words)
    return [token for token in found if token is not None], fenced_after


def line_words(line: str, *, fenced: bool = False) -> tuple[list[tuple[str, int]], bool]:
    """The runs of letters of one line as (text, column), before `word_token` judges them, and the fence state after it.

    For a caller that remembers its verdict on each word (the editor's spelling, at every keystroke).
    """
    if is_fence(line):
        return [], not fenced
    if fenced or _REFERENCE_DEFINITION.match(line):
        return [], fenced
    return [(match.group(0), match.start()) for match in _WORD.finditer(prose_of(line))], fenced


def prose_of(line: str) -> str:
    """`line` with what is not prose (code, tags, link targets, addresses...) blanked out, columns unchanged."""
    skipped = _skipped_in(tuple(_may_hold(line, trigger) for _, trigger in _NOT_PROSE))
    return line if skipped is None else skipped.sub(_blank, line)


def _may_hold(line: str, trigger: str | re.Pattern[str]) -> bool:
    return trigger in line if isinstance(trigger, str) else trigger.search(line) is not None


@functools.lru_cache(maxsize=256)
def _skipped_in(wanted: tuple[bool, ...]) -> re.Pattern[str] | None:
    """The patterns `wanted` in one alternation: the matches of all of them, as the others match nowhere in the line."""
    patterns = [pattern for (pattern, _), on in zip(_NOT_PROSE, wanted, strict=True) if on]
    return re.compile("|".join(patterns), re.IGNORECASE) if patterns else None


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def word_token(text: str, column: int, line_number: int, offset: int, check_capitals: bool) -> Token | None:
    """The token for a run of letters at `column` of a line starting at `offset`, or None when it is not checked."""
    if _DIGIT.search(text):
        return None
    if any(pattern.search(text) for pattern, _ in UNSPACED):
        return None  # no spaces between its words: a word list cannot tell where one ends, so it is not checked
    word = text.translate(_STRAIGHTEN)
    apostrophes = word.count("'")
    if len(word) - apostrophes < 2:
        return None
    if not check_capitals:
        stem = word[:-2] if word[-2:] in ("'s", "'S") else word
        if stem.isupper() and len(stem) - stem.count("'") >= 2:
            return None
    return Token(text=text, word=word, start=offset + column, line=line_number, column=column + 1)


def has_capital(word: str) -> bool:
    """A name, by the newsroom's rule of thumb: any capital letter (Minsk, McClain, d’Ivoire)."""
    return any(character.isupper() for character in word)
