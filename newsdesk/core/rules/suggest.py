"""Finding spelling suggestions fast, and ordering them so the one the reporter meant comes first.

Words one edit away are found by building every such string and looking it up.
Words two or three edits away are found by a compiled edit distance (rapidfuzz,
optimal string alignment) over the dictionary words of about the same length
that start with the typed word's first or second letter: a misspelling rarely
gets both of its first two letters wrong, and narrowing the search this way
keeps it to milliseconds.

Real misspellings are rarely random: letters are swapped (recieve), doubled or
not (accomodate, begining), a vowel is wrong, missing or extra (seperate,
circut, arguement). The weighted edit distance here charges those slips less
than other edits, and a common word beats a rare one at the same distance.
A misspelling rarely gets the first letter wrong, less often the last, so a
candidate that changes either pays a little more. Two words run together
("alot", "infront") are scored as one edit, with the pair's frequency taken as
the chance of the two words meeting by accident (the product of their shares),
so "be for" never beats "before"; a one-letter word run into the next ("alot",
"alittle") is the commonest such slip and costs less. The weights were tuned on the three sets in
tests/fixtures (Wikipedia's list and the Birkbeck corpus), which
tests/perf/bench_spelling.py measures.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

VOWELS = frozenset("aeiouy")
_SWAP = 0.64
_DOUBLE = 0.34
_VOWEL = 0.83
_VOWEL_GAP = 0.8
_SOUND_ALIKE = frozenset({("c", "s"), ("c", "k"), ("s", "z"), ("i", "y"), ("f", "v"), ("g", "j"), ("m", "n")})
_SOUND = 0.78
_FREQUENCY_WEIGHT = 0.2
_SPLIT = 0.9
_SPLIT_AFTER_ONE_LETTER = 0.6
_FIRST_LETTER = 0.27
_LAST_LETTER = 0.1


def one_edit(word: str, letters: str) -> set[str]:
    """Every string one deletion, swap, substitution or insertion away from `word`."""
    splits = [(word[:cut], word[cut:]) for cut in range(len(word) + 1)]
    deletes = [left + right[1:] for left, right in splits if right]
    swaps = [left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1]
    replaces = [left + letter + right[1:] for left, right in splits if right for letter in letters]
    inserts = [left + letter + right for left, right in splits for letter in letters]
    return set(deletes + swaps + replaces + inserts)


class WordPool:
    """Words grouped by first letter (ignoring case) and length, searched by edit distance.

    `near` compares lower-case forms and returns the words as they were given.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self._groups: dict[tuple[str, int], list[str]] = {}
        self._forms: dict[str, str] = {}
        for word in words:
            folded = word.lower()
            if not folded:
                continue
            if folded == word:
                folded = word  # the word itself, not an equal copy: 160,000 copies are 10 MB
            else:
                self._forms[folded] = word
            self._groups.setdefault((folded[0], len(folded)), []).append(folded)

    def near(self, word: str, max_distance: int, length_spread: int | None = None) -> dict[str, int]:
        """Words within `max_distance` edits of `word`, with their distance (the word itself left out).

        Only words starting with `word`'s first or second letter, and whose length
        differs by at most `length_spread` (default `max_distance`), are compared.
        """
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        folded = word.lower()
        spread = max_distance if length_spread is None else length_spread
        found: dict[str, int] = {}
        for initial in set(folded[:2]):
            for length in range(max(1, len(folded) - spread), len(folded) + spread + 1):
                choices = self._groups.get((initial, length))
                if not choices:
                    continue
                for candidate, distance, _ in process.extract(
                    folded, choices, scorer=OSA.distance, score_cutoff=max_distance, limit=None
                ):
                    if distance > 0:
                        found[self._forms.get(candidate, candidate)] = int(distance)
        return found


def substitution_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if a in VOWELS and b in VOWELS:
        return _VOWEL
    if (a, b) in _SOUND_ALIKE or (b, a) in _SOUND_ALIKE:
        return _SOUND
    return 1.0


def _gap_cost(word: str, index: int) -> float:
    """The cost of a letter typed that should not be there, or left out: less for a doubled letter or a vowel."""
    if index > 0 and word[index] == word[index - 1]:
        return _DOUBLE
    return _VOWEL_GAP if word[index] in VOWELS else 1.0


def weighted_distance(typed: str, candidate: str) -> float:
    """Optimal string alignment distance with cheaper swaps, doublings and vowel slips."""
    rows = len(typed) + 1
    columns = len(candidate) + 1
    previous_previous: list[float] = []
    previous = [float(j) for j in range(columns)]
    for i in range(1, rows):
        current = [float(i)] + [0.0] * (columns - 1)
        for j in range(1, columns):
            deletion = _gap_cost(typed, i - 1)
            insertion = _gap_cost(candidate, j - 1)
            best = min(
                previous[j] + deletion,
                current[j - 1] + insertion,
                previous[j - 1] + substitution_cost(typed[i - 1], candidate[j - 1]),
            )
            if (
                i > 1
                and j > 1
                and typed[i - 1] == candidate[j - 2]
                and typed[i - 2] == candidate[j - 1]
                and typed[i - 1] != typed[i - 2]
            ):
                best = min(best, previous_previous[j - 2] + _SWAP)
            current[j] = best
        previous_previous, previous = previous, current
    return previous[-1]


def rank_candidates(
    typed: str, candidates: Mapping[str, int], frequency: Callable[[str], int], total: int = 1
) -> list[str]:
    """`candidates` (word → edit distance) best first: weighted distance, then how common the word is.

    `total` is the sum of all the dictionary's counts, to weigh two words run together.
    """

    typed = typed.lower()

    def score(candidate: str) -> tuple[float, str]:
        folded = candidate.lower()
        if " " in folded:
            left, right = folded.split(" ", 1)
            common = frequency(left) * frequency(right) / max(total, 1)
            distance = _SPLIT_AFTER_ONE_LETTER if len(left) == 1 else _SPLIT
        else:
            common = frequency(candidate)
            distance = weighted_distance(typed, folded)
            distance += _FIRST_LETTER * (folded[:1] != typed[:1]) + _LAST_LETTER * (folded[-1:] != typed[-1:])
        return distance - _FREQUENCY_WEIGHT * math.log10(common + 1), candidate

    return sorted(candidates, key=score)


def restore_case(typed: str, candidate: str) -> str:
    """`candidate` in the case the reporter typed: RECIEVE → RECEIVE, Recieve → Receive."""
    if typed.isupper() and len(typed) > 1:
        return candidate.upper()
    if typed[:1].isupper() and candidate[:1].islower():
        return candidate[:1].upper() + candidate[1:]
    return candidate
