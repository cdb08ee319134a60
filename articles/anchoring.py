"""Anchor a passage in a text the W3C Web Annotation way, and find it again after the text changes.

A passage is remembered twice: by its offsets (TextPositionSelector) and by its words with about 32
characters of context either side (TextQuoteSelector). Re-anchoring tries, in order:

1. position: the quote is still at its old offsets (and no other copy of it fits the context better);
2. exact: the quote occurs elsewhere; the copy whose context matches best wins, the nearest on a tie;
3. fuzzy: an approximate match of the quote (at most a quarter of its characters edited), scored on the
   quote, its prefix, its suffix and its distance from the old position, as Hypothesis does;
4. otherwise nothing: the caller keeps the annotation as an orphan.

Pure Python, no Django. Approximate search is Myers' bit-parallel algorithm on Python's big integers,
so a pass over a 200,000-character article costs a few hundred thousand integer operations.

The work is bounded, since one request may anchor hundreds of passages in the longest article: a Budget,
shared by every passage of one import or re-anchoring run, counts steps of about a microsecond (a character
scanned by Myers' algorithm, a cell of an edit-distance table, a copy of the quote ranked by its context).
Fuzzy search is only for passages up to FUZZY_MAX_CHARS. A step the budget cannot pay for is not taken:
the passage is then placed only if it is still at its old offsets, which costs nothing to check, or else
it is an orphan, like one that is not in the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from os.path import commonprefix

CONTEXT_CHARS = 32
QUOTE_WEIGHT, PREFIX_WEIGHT, SUFFIX_WEIGHT, POSITION_WEIGHT = 50, 20, 20, 2
# A passage that began (or ended) at a word boundary should still: "esidents" is not a fair match for
# "Residents" when "residents" is there. Worth more than one character of context.
BOUNDARY_WEIGHT = 2
# A fuzzy match may differ from the quote by at most this share of its length...
MAX_ERROR_RATE = 0.25
# ...and must score at least this much overall (quote, context and position weighed together).
MIN_FUZZY_SCORE = 0.7
# Exact copies of the quote whose context is weighed with edit distances.
EXACT_CANDIDATES = 24
# Fuzzy search looks near the old position first, this many characters either side beyond the quote.
NEAR_WINDOW = 2000
# Fuzzy search keeps the best ends of approximate matches, and for each the best starts (see approximate_matches).
FUZZY_ENDS, FUZZY_STARTS = 16, 48
# Longer passages are placed by position or exact search only: a long passage is rarely edited in place,
# and the cost of each character scanned grows with the passage (Myers' integers are as wide as it is long).
FUZZY_MAX_CHARS = 2000
# Steps one import or re-anchoring run may spend: about two seconds.
BUDGET_STEPS = 2_000_000
# A pass of Myers' algorithm costs a step per character of text, and one more per this many characters
# of the passage (wider integers).
MYERS_CHARS_PER_STEP = 2048
# Finding a copy of the quote and ranking it by up to 64 characters of context either side.
OCCURRENCE_STEPS = 16


@dataclass(frozen=True)
class TextQuoteSelector:
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class TextPositionSelector:
    start: int
    end: int


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    method: str  # "position", "exact" or "fuzzy"
    score: float = 1.0


class Budget:
    """Steps anchoring may still spend; one is shared by every passage of an import or a re-anchoring run."""

    def __init__(self, steps: int = BUDGET_STEPS):
        self.left = steps

    def spend(self, steps: int) -> bool:
        """Take `steps` when that many are left; else take none and say no."""
        if steps > self.left:
            return False
        self.left -= steps
        return True


def position_selector(text: str, start: int, end: int) -> TextPositionSelector:
    if not 0 <= start < end <= len(text):
        raise ValueError(f"offsets {start}-{end} are outside a text of {len(text)} characters")
    return TextPositionSelector(start, end)


def quote_selector(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> TextQuoteSelector:
    position_selector(text, start, end)
    return TextQuoteSelector(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


def anchor(
    text: str,
    quote: TextQuoteSelector,
    position: TextPositionSelector | None = None,
    budget: Budget | None = None,
) -> Anchor | None:
    """Where the quoted passage is in `text` now, or None when it cannot be placed (within `budget`, by
    default a run of its own)."""
    exact = quote.exact
    if not exact:
        return None
    budget = Budget() if budget is None else budget
    hint = position.start if position is not None and position.start >= 0 else None
    unmoved = (
        Anchor(hint, hint + len(exact), "position")
        if hint is not None and text.startswith(exact, hint)
        else None
    )
    occurrences = find_all(text, exact, limit=budget.left // OCCURRENCE_STEPS + 1)
    if not budget.spend(len(occurrences) * OCCURRENCE_STEPS):
        return unmoved
    if unmoved is not None and len(occurrences) == 1:
        return unmoved  # the only copy is where it was: no context to weigh
    if occurrences:
        if len(occurrences) > EXACT_CANDIDATES:
            # A short quote ("the") can occur thousands of times: rank by how many context characters
            # agree exactly, and spend edit distances on the best few (and the old position).
            near = hint if hint is not None else 0
            ranked = sorted(
                occurrences,
                key=lambda at: (-_agreeing_context(text, at, at + len(exact), quote), abs(at - near)),
            )
            occurrences = ranked[:EXACT_CANDIDATES] + ([hint] if hint in ranked[EXACT_CANDIDATES:] else [])
        weighed = [
            (_context_score(text, start, start + len(exact), quote, budget), start) for start in occurrences
        ]
        if any(score is None for score, _ in weighed):
            return unmoved
        scored = [(score or 0.0, start) for score, start in weighed]
        best_context = max(score for score, _ in scored)
        if hint is not None and hint in occurrences and {s: c for c, s in scored}[hint] >= best_context:
            return Anchor(hint, hint + len(exact), "position")
        target = hint if hint is not None else 0
        context_score, start = max(scored, key=lambda pair: (pair[0], -abs(pair[1] - target)))
        return Anchor(start, start + len(exact), "exact", context_score)
    if len(exact) > FUZZY_MAX_CHARS:
        return None
    return _fuzzy_anchor(text, quote, hint, budget)


def find_all(text: str, exact: str, limit: int | None = None) -> list[int]:
    """Where `exact` occurs in `text` (the first `limit` places, when given)."""
    found, at = [], text.find(exact)
    while at != -1 and (limit is None or len(found) < limit):
        found.append(at)
        at = text.find(exact, at + 1)
    return found


def _agreeing_context(text: str, start: int, end: int, quote: TextQuoteSelector) -> int:
    """Characters of context that agree, counted outwards from the passage until the first difference."""
    agree = 0
    for wanted, found in zip(
        reversed(quote.prefix), reversed(text[max(0, start - len(quote.prefix)) : start])
    ):
        if wanted != found:
            break
        agree += 1
    for wanted, found in zip(quote.suffix, text[end : end + len(quote.suffix)]):
        if wanted != found:
            break
        agree += 1
    return agree


def _context_score(text: str, start: int, end: int, quote: TextQuoteSelector, budget: Budget) -> float | None:
    """0..1: how well the characters around text[start:end] match the remembered prefix and suffix (None
    when the budget cannot pay for the edit distances)."""
    prefix_score = _similarity(text[max(0, start - len(quote.prefix)) : start], quote.prefix, budget)
    suffix_score = _similarity(text[end : end + len(quote.suffix)], quote.suffix, budget)
    if prefix_score is None or suffix_score is None:
        return None
    return (prefix_score + suffix_score) / 2


def _similarity(found: str, wanted: str, budget: Budget) -> float | None:
    """1 - edit distance / length, at least 0; the distance (a cell per pair of characters that differ
    between the strings' common ends) is paid from `budget`, None when it cannot be."""
    if found == wanted or not wanted:
        return 1.0
    same_start = len(commonprefix([found, wanted]))
    same_end = len(commonprefix([found[same_start:][::-1], wanted[same_start:][::-1]]))
    found_rest, wanted_rest = (
        found[same_start : len(found) - same_end],
        wanted[same_start : len(wanted) - same_end],
    )
    if not budget.spend(1 + len(found_rest) * len(wanted_rest)):
        return None
    return max(0.0, 1 - levenshtein(found_rest, wanted_rest) / len(wanted))


def levenshtein(a: str, b: str) -> int:
    """Edit distance; used on short strings (context of about 32 characters)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def _fuzzy_anchor(text: str, quote: TextQuoteSelector, hint: int | None, budget: Budget) -> Anchor | None:
    exact = quote.exact
    max_errors = int(len(exact) * MAX_ERROR_RATE)
    if max_errors < 1:
        return None
    windows = []
    if hint is not None:
        low = max(0, hint - NEAR_WINDOW - max_errors)
        windows.append((low, min(len(text), hint + len(exact) + NEAR_WINDOW + max_errors)))
    windows.append((0, len(text)))
    for low, high in windows:
        best = _best_fuzzy_match(text, low, high, quote, hint, max_errors, budget)
        if best is not None:
            return best
    return None


def _best_fuzzy_match(
    text: str,
    low: int,
    high: int,
    quote: TextQuoteSelector,
    hint: int | None,
    max_errors: int,
    budget: Budget,
) -> Anchor | None:
    """The best-scoring approximate match in text[low:high] that scores at least MIN_FUZZY_SCORE.

    The suffix is weighed once per end; a candidate that could not win even with a perfect prefix is not
    weighed at all."""
    best: tuple[float, int, int, int] | None = None
    suffixes: dict[int, float] = {}
    for start, end, errors in approximate_matches(text[low:high], quote.exact, max_errors, budget=budget):
        start, end = start + low, end + low
        if end not in suffixes:
            suffix_score = _similarity(text[end : end + len(quote.suffix)], quote.suffix, budget)
            if suffix_score is None:
                break
            suffixes[end] = suffix_score
        closeness = -abs(start - (hint or 0))
        ceiling = _match_score(text, start, end, errors, quote, hint, 1.0, suffixes[end])
        if ceiling < MIN_FUZZY_SCORE or (best is not None and (ceiling, closeness) < best[:2]):
            continue
        prefix_score = _similarity(text[max(0, start - len(quote.prefix)) : start], quote.prefix, budget)
        if prefix_score is None:
            break
        score = _match_score(text, start, end, errors, quote, hint, prefix_score, suffixes[end])
        if score >= MIN_FUZZY_SCORE and (best is None or (score, closeness, start, end) > best):
            best = (score, closeness, start, end)
    if best is None:
        return None
    score, _, start, end = best
    return Anchor(start, end, "fuzzy", round(score, 3))


def _match_score(
    text: str,
    start: int,
    end: int,
    errors: int,
    quote: TextQuoteSelector,
    hint: int | None,
    prefix_score: float,
    suffix_score: float,
) -> float:
    quote_score = 1 - errors / len(quote.exact)
    position_score = 1 - abs(start - hint) / max(1, len(text)) if hint is not None else 1.0
    boundaries = (
        _word_boundary(text[start - 1 : start], text[start : start + 1])
        == _word_boundary(quote.prefix[-1:], quote.exact[:1])
    ) + (
        _word_boundary(text[end - 1 : end], text[end : end + 1])
        == _word_boundary(quote.exact[-1:], quote.suffix[:1])
    )
    return (
        QUOTE_WEIGHT * quote_score
        + PREFIX_WEIGHT * prefix_score
        + SUFFIX_WEIGHT * suffix_score
        + POSITION_WEIGHT * position_score
        + BOUNDARY_WEIGHT * boundaries
    ) / (QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT + 2 * BOUNDARY_WEIGHT)


def _word_boundary(before: str, after: str) -> bool:
    return not (before.isalnum() and after.isalnum())


def approximate_matches(
    text: str,
    pattern: str,
    max_errors: int,
    ends: int = FUZZY_ENDS,
    starts: int = FUZZY_STARTS,
    budget: Budget | None = None,
) -> list[tuple[int, int, int]]:
    """(start, end, errors) of places where `pattern` occurs in `text` with at most `max_errors` edits.

    Ends come from one forward pass of Myers' algorithm (only local minima of the error count, the best
    `ends` of them); for each end a backward pass over the stretch before it gives the edit distance of
    every possible start, of which the best `starts` are returned: edit distance alone cannot tell
    "the inserted words belong to the passage" from "the passage lost its first words", context can.
    Each pass is paid for from `budget` first; one it cannot pay for is not made.
    """
    budget = Budget() if budget is None else budget
    if not budget.spend(_myers_steps(len(text), len(pattern))):
        return []
    scores = _myers_scores(text, pattern)
    best_ends = [
        j
        for j, score in enumerate(scores)
        if score <= max_errors
        and (j == 0 or scores[j - 1] > score)
        and (j + 1 == len(scores) or scores[j + 1] >= score)
    ]
    best_ends.sort(key=lambda j: scores[j])
    matches = []
    for j in best_ends[:ends]:
        end = j + 1
        low = max(0, end - len(pattern) - max_errors)
        if not budget.spend(_myers_steps(end - low, len(pattern))):
            break
        # Anchored at `end`: edit distance of the pattern to every stretch of text ending exactly there.
        backward = _myers_scores(text[low:end][::-1], pattern[::-1], anchored=True)
        reach = sorted(
            (k for k, s in enumerate(backward) if s <= max_errors),
            key=lambda k: (backward[k], abs(k + 1 - len(pattern))),
        )
        matches.extend((end - (k + 1), end, backward[k]) for k in reach[:starts])
    return matches


def _myers_steps(text_chars: int, pattern_chars: int) -> int:
    """Steps a pass of Myers' algorithm costs: a character of text each, more as the pattern's integers widen."""
    return text_chars + text_chars * pattern_chars // MYERS_CHARS_PER_STEP


def _myers_scores(text: str, pattern: str, anchored: bool = False) -> list[int]:
    """For each position j of `text`, the fewest edits turning `pattern` into a substring ending at j.

    `anchored` makes the substring start at 0 (plain edit distance to each prefix of `text`).
    """
    carry = 1 if anchored else 0
    m = len(pattern)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    equal: dict[str, int] = {}
    for i, char in enumerate(pattern):
        equal[char] = equal.get(char, 0) | (1 << i)
    positive, negative, score = mask, 0, m
    scores = []
    for char in text:
        eq = equal.get(char, 0)
        xv = eq | negative
        xh = ((((eq & positive) + positive) & mask) ^ positive) | eq
        horizontal_pos = negative | (~(xh | positive) & mask)
        horizontal_neg = positive & xh
        if horizontal_pos & high:
            score += 1
        elif horizontal_neg & high:
            score -= 1
        horizontal_pos = ((horizontal_pos << 1) | carry) & mask
        horizontal_neg = (horizontal_neg << 1) & mask
        positive = horizontal_neg | (~(xv | horizontal_pos) & mask)
        negative = horizontal_pos & xv
        scores.append(score)
    return scores
