"""Quotes, speakers and entities of an article: one spaCy pass over its blocks, then cheap rules on it."""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc, Token

from .attribution import antecedent, can_speak, is_cue, is_speech_cue, speaker_token
from .coref import name_gender, pronoun_gender, resolve_group, resolve_pronoun
from .entities import RawMention, block_mentions, cluster
from .lexicon import (
    DESCRIPTION_TITLES,
    LIGHT_VERB_LEMMAS,
    PERSONAL_SUBJECT_PRONOUNS,
    SPEAKER_NP_PREPOSITIONS,
)
from .quotes import QuoteSpan, find_quotes, looks_like_title
from .types import Analysis, Block, Entity, Mention, Quote

QUOTE_BLOCK_KINDS = frozenset({"paragraph"})
PRONOUN_WINDOW = 1500  # characters back to look for a pronoun's subject antecedent
GROUP_WINDOW = 300  # "they" only goes to a group named as a subject just before
NP_DEPS = frozenset({"det", "compound", "amod", "poss", "nummod", "nmod", "case", "punct", "quantmod"})


@dataclass(frozen=True)
class Attribution:
    """Who a quote is attributed to, as found in the text (before turning into a Quote)."""

    speaker: str
    speaker_start: int
    speaker_end: int
    speaker_entity: int | None
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    description: str | None
    via: str = "cue"


@dataclass
class _Article:
    """Everything the rules read for one article: its text, blocks, their Docs and the entity layer."""

    text: str
    blocks: Sequence[Block]
    docs: Sequence[Doc]
    mentions: list[RawMention]
    entity_of: list[int]
    entities: list[tuple[str, str]]
    genders: list[str]
    quote_ranges: list[list[tuple[int, int]]]  # per block, local char ranges of quotes
    mentions_by_block: list[list[int]]
    person_candidates: list[tuple[int, int, bool]]
    group_candidates: list[tuple[int, int, bool]]


def _in_ranges(ranges: Sequence[tuple[int, int]], pos: int) -> bool:
    index = bisect_right(ranges, (pos, float("inf"))) - 1
    return index >= 0 and ranges[index][0] <= pos < ranges[index][1]


def _regions(doc: Doc, ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences as token ranges, merged where spaCy cut inside a quote, after "...,”" or after a colon."""
    regions: list[tuple[int, int]] = []
    for sent in doc.sents:
        boundary = sent.start_char
        if regions:
            inside = any(a < boundary < b for a, b in ranges)
            before = doc.text[max(0, boundary - 12) : boundary].rstrip()
            glued = before.endswith((",”", ',"', ":")) or (
                before.endswith(("”", '"')) and before[-2:-1] == ","
            )
            # "“... alright?” he urged them": a sentence going on in lower case after a quote
            glued = glued or (before.endswith(("”", '"')) and sent.text[:1].islower())
            if inside or glued:
                regions[-1] = (regions[-1][0], sent.end)
                continue
        regions.append((sent.start, sent.end))
    return regions


def _mention_at(article: _Article, block: int, pos: int) -> int | None:
    offset = article.blocks[block].start
    for m_index in article.mentions_by_block[block]:
        mention = article.mentions[m_index]
        if mention.start <= offset + pos < mention.end:
            return m_index
    return None


def _noun_phrase(token: Token) -> tuple[int, int]:
    """Char bounds of a speaker noun phrase: its modifiers and a short "for/of ..." tail, no appositive."""
    left, right = token.idx, token.idx + len(token.text)
    for child in token.lefts:
        if child.dep_ in NP_DEPS and child.dep_ != "punct":
            left = min(left, child.left_edge.idx)
    for child in token.rights:
        if child.dep_ == "prep" and child.lower_ in SPEAKER_NP_PREPOSITIONS:
            right = max(right, child.right_edge.idx + len(child.right_edge.text))
            break
        if child.dep_ in ("compound", "flat"):
            right = max(right, child.idx + len(child.text))
    return left, right


def _appositive(doc: Doc, first: int, last: int) -> str | None:
    """The parser's appositive of the name at tokens first..last, when it follows the name at once
    (", North Korea’s leader,"), cut before any relative clause or second comma."""
    if last + 2 >= len(doc) or doc[last + 1].text != ",":
        return None
    for token in doc[first : last + 1]:
        for child in token.children:
            if child.dep_ == "appos" and child.left_edge.i == last + 2:
                end = child.right_edge.i + 1
                for k in range(last + 2, end):
                    if doc[k].text in DESCRIPTION_STOPS or doc[k].tag_ in ("WP", "WDT"):
                        end = k
                        break
                return doc[last + 2 : end].text or None
    return None


DESCRIPTION_STOPS = frozenset({",", "—", "–", ".", ";", ":", ")"})
DESCRIPTION_MAX_TOKENS = 14


def _surface_appositive(doc: Doc, last: int) -> str | None:
    """", a spokesman for Mr. Moon," right after a name, where the parser made it a second subject:
    a comma, a verbless noun phrase holding a common noun, and a closing comma, dash or full stop."""
    start = last + 2
    if start >= len(doc) or doc[last + 1].text != ",":
        return None
    first = doc[start]
    if not (first.pos_ in ("DET", "ADJ", "PROPN", "NOUN", "NUM") or first.tag_ == "PRP$"):
        return None
    for k in range(start, min(len(doc), start + DESCRIPTION_MAX_TOKENS)):
        token = doc[k]
        if token.text in DESCRIPTION_STOPS:
            phrase = doc[start:k]
            if any(t.pos_ == "NOUN" for t in phrase) and not any(t.pos_ == "CCONJ" for t in phrase[:1]):
                return phrase.text
            return None
        if token.pos_ in ("VERB", "AUX", "PRON") and token.tag_ != "PRP$" or token.tag_ in ("WP", "WDT", "WRB"):
            return None
    return None


TITLE_MAX_TOKENS = 5


def _title_before(doc: Doc, first: int) -> str | None:
    """A capitalised title right before a name: "President Trump", "Secretary of State Mike Pompeo"."""
    k = first - 1
    chain: list[int] = []
    while k >= 0 and len(chain) < TITLE_MAX_TOKENS and (doc[k].is_title or doc[k].lower_ == "of"):
        chain.insert(0, k)
        k -= 1
    while chain and doc[chain[0]].lower_.rstrip(".") not in DESCRIPTION_TITLES:
        chain.pop(0)
    while chain and doc[chain[-1]].lower_ == "of":
        chain.pop()
    return doc[chain[0] : chain[-1] + 1].text if chain else None


def _mention_description(doc: Doc, local_start: int, local_end: int, label: str) -> str | None:
    """How the text describes the person or body named at these block-local offsets, if it does."""
    span = doc.char_span(local_start, local_end, alignment_mode="expand")
    if span is None:
        return None
    return (
        _appositive(doc, span.start, span.end - 1)
        or _surface_appositive(doc, span.end - 1)
        or (_title_before(doc, span.start) if label == "PERSON" else None)
    )


def _entity_descriptions(
    docs: Sequence[Doc], blocks: Sequence[Block], mentions: Sequence[RawMention], entity_of: Sequence[int],
    entities: Sequence[tuple[str, str]],
) -> list[str | None]:
    """The first description the article gives each person or organisation ("North Korea’s leader")."""
    found: list[str | None] = [None] * len(entities)
    for m_index, mention in enumerate(mentions):
        entity = entity_of[m_index]
        if found[entity] is not None or entities[entity][1] not in ("PERSON", "ORG"):
            continue
        offset = blocks[mention.block].start
        found[entity] = _mention_description(
            docs[mention.block], mention.start - offset, mention.end - offset, mention.label
        )
    return found


def _attribution(article: _Article, block: int, speaker: Token, cue: Token | None) -> Attribution:
    """Speaker span and resolved name for the token an attribution hangs on; a relative "who" keeps its own
    span (like "he") and takes its antecedent's name."""
    doc = article.docs[block]
    offset = article.blocks[block].start
    if antecedent(speaker).i != speaker.i:
        named = _attribution(article, block, antecedent(speaker), cue)
        start = offset + speaker.idx
        return replace(named, speaker_start=start, speaker_end=start + len(speaker.text))
    m_index = _mention_at(article, block, speaker.idx)
    description: str | None = None
    if m_index is None and speaker.pos_ in ("NOUN", "PROPN"):
        for child in speaker.children:  # "a spokesman, John Doe, said": the role describes the name
            if child.dep_ == "appos":
                appos_mention = _mention_at(article, block, child.idx)
                if appos_mention is not None and article.mentions[appos_mention].label == "PERSON":
                    m_index = appos_mention
                    left, right = _noun_phrase(speaker)
                    description = doc.text[left:right]
                    break
    entity: int | None = None
    if m_index is not None:
        mention = article.mentions[m_index]
        start, end = mention.start, mention.end
        entity = article.entity_of[m_index]
        name = article.entities[entity][0]
        if description is None:
            description = _mention_description(doc, start - offset, end - offset, mention.label)
    elif speaker.pos_ == "PRON":
        start, end = offset + speaker.idx, offset + speaker.idx + len(speaker.text)
        name = speaker.text
        if pronoun_gender(speaker.text):
            entity = resolve_pronoun(
                speaker.text, start, article.person_candidates, article.genders, PRONOUN_WINDOW
            )
            if entity is not None:
                name = article.entities[entity][0]
        elif speaker.lower_ == "they":
            entity = resolve_group(start, article.group_candidates, GROUP_WINDOW)
            if entity is not None:
                name = article.entities[entity][0]
    else:
        left, right = _noun_phrase(speaker)
        start, end = offset + left, offset + right
        name = article.text[start:end]
        if name.lower().startswith("the "):
            name = name[4:]
    cue_start = offset + cue.idx if cue is not None else None
    return Attribution(
        speaker=name,
        speaker_start=start,
        speaker_end=end,
        speaker_entity=entity,
        cue=cue.text if cue is not None else None,
        cue_start=cue_start,
        cue_end=cue_start + len(cue.text) if cue is not None and cue_start is not None else None,
        description=description,
    )


def _speaker_of(article: _Article, block: int, cue: Token) -> Token | None:
    """The speaker token a cue outside quotes hangs on, when it is someone who can speak."""
    ranges = article.quote_ranges[block]
    if _in_ranges(ranges, cue.idx):
        return None
    speaker = speaker_token(cue, lambda pos: _in_ranges(ranges, pos))
    if speaker is None or _in_ranges(ranges, speaker.idx):
        return None
    m_index = _mention_at(article, block, antecedent(speaker).idx)
    if not can_speak(speaker, cue, article.mentions[m_index].label if m_index is not None else None):
        return None
    return speaker


def _outermost(article: _Article, block: int, cue: Token, speaker: Token) -> tuple[Token, Token]:
    """ "X said that Y called it “...”": the reporting clause that holds the cue's clause owns the quote; a
    coordinated or relative clause ("..., to which Y replied, “...”") has its own speaker."""
    node = cue
    while node.head.i != node.i and node.dep_ not in ("conj", "parataxis", "relcl"):
        node = node.head
        if is_cue(node) and is_speech_cue(node):
            outer = _speaker_of(article, block, node)
            if outer is not None:
                cue, speaker = node, outer
    return cue, speaker


def _cue_in(
    article: _Article, block: int, tokens: tuple[int, int], span: tuple[int, int], speech_only: bool = False
) -> Attribution | None:
    """The best cue with a speaker among tokens[0]:tokens[1] of a block, for a quote at local chars `span`:
    a cue whose clause holds the quote (or is right next to it), verbs of saying first, then the nearest."""
    doc = article.docs[block]
    best: tuple[tuple[int, ...], Token, Token] | None = None
    according: tuple[Token, Token] | None = None
    for token in doc[tokens[0] : tokens[1]]:
        if not is_cue(token) or (speech_only and not is_speech_cue(token)):
            continue
        speaker = _speaker_of(article, block, token)
        if speaker is None:
            continue
        if token.lower_ == "according":
            according = (token, speaker)
        # the cue's clause holds the quote (closing punctuation often hangs on the sentence root)
        holds = (
            token.left_edge.idx <= span[0]
            and token.right_edge.idx + len(token.right_edge.text) >= span[1] - 3
        )
        cue_end = token.idx + len(token.text)
        distance = span[0] - cue_end if token.idx < span[0] else token.idx - span[1]
        adjacent = 0 <= distance <= 3  # "replied, “..." / "“...,” said"
        # verbs of saying outrank verbs of opinion ("called", "believes") in the same position
        rank = (0 if holds or adjacent else 1, 0 if is_speech_cue(token) else 1, max(distance, 0))
        if best is None or rank < best[0]:
            best = (rank, token, speaker)
    if best is None:
        return None
    cue, speaker = _outermost(article, block, best[1], best[2])
    if according is not None:  # "X said ..., according to Reuters": the outer source owns the quote
        cue, speaker = according
    return _attribution(article, block, speaker, cue)


def _attribute_piece(
    article: _Article, block: int, span: tuple[int, int], regions: list[tuple[int, int]]
) -> tuple[Attribution | None, int]:
    """Attribution for the part of a quote inside one block from the sentences around it; also returns the
    index of the (merged) sentence holding the quote's start."""
    doc = article.docs[block]
    first = last = -1
    for index, (t_start, t_end) in enumerate(regions):
        r_start = doc[t_start].idx
        r_end = doc[t_end - 1].idx + len(doc[t_end - 1].text)
        if r_start < span[1] and span[0] < r_end:
            first = index if first < 0 else first
            last = index
    if first < 0:
        return None, -1
    found = _cue_in(article, block, (regions[first][0], regions[last][1]), span)
    if found is not None:
        return found, first
    found = _manner_verb(article, block, span)
    if found is not None:
        return found, first
    # speaker named only in the sentence after the quote: "“...” The senator said so twice."
    if last + 1 < len(regions):
        after_start, after_end = regions[last + 1]
        between = doc.text[span[1] : doc[after_start].idx].strip()
        has_quote = any(
            doc[after_start].idx <= a < doc[after_end - 1].idx + 1 for a, _ in article.quote_ranges[block]
        )
        if not between.strip(".,;!?") and not has_quote and after_end - after_start <= 12:
            found = _cue_in(article, block, (after_start, after_end), span)
            if found is not None:
                return replace(found, via="sentence-after"), first
        if not between.strip(".,;!?") and doc.text[span[1] - 2 : span[1] - 1] in ("?", "!"):
            # "“... who knows?” Trump told ITV on Monday, when asked ...": the cue leads the next sentence
            found = _cue_in(article, block, (after_start, min(after_end, after_start + 5)), span)
            if found is not None:
                return replace(found, via="sentence-after"), first
    # "X said in a statement. “...”": a quote opening its sentence after an attribution without a quote
    if first > 0 and not doc.text[doc[regions[first][0]].idx : span[0]].strip():
        before_start, before_end = regions[first - 1]
        b_start = doc[before_start].idx
        b_end = doc[before_end - 1].idx + len(doc[before_end - 1].text)
        has_quote = any(b_start <= a < b_end for a, _ in article.quote_ranges[block])
        if not has_quote:
            found = _cue_in(article, block, (before_start, before_end), span, speech_only=True)
            if found is not None:
                return replace(found, via="sentence-before"), first
    return None, first


def _manner_verb(article: _Article, block: int, span: tuple[int, int]) -> Attribution | None:
    """A verb outside the cue lists that still reports the quote by its place: '“...,” Trump barked' (the
    quote is the verb's clause and ends in a comma, "?" or "!") or 'He leaned in and boomed: “...”', when
    the verb's subject is a named person or body or a personal pronoun."""
    doc = article.docs[block]
    ranges = article.quote_ranges[block]
    inside = doc.char_span(span[0], span[1], alignment_mode="expand")
    if inside is None or len(inside) == 0:
        return None
    verbs: list[Token] = []
    closing = doc.text[span[1] - 2 : span[1] - 1]
    if closing in (",", "?", "!"):
        for token in doc[inside.end : min(len(doc), inside.end + 3)]:
            if token.is_punct:
                break
            if token.pos_ != "VERB" or token.tag_ not in ("VBD", "VBZ"):
                continue
            # the quote is the verb's clause, or a question or exclamation just before an intransitive
            # sentence of its own ('“Why?” she grumbled at the hearing.')
            if token.left_edge.idx <= span[0] or (
                closing in ("?", "!")
                and token.left_edge.i == inside.end
                and not any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in token.children)
            ):
                verbs.append(token)
    if inside.start >= 2 and doc[inside.start - 1].text == ":":
        token = doc[inside.start - 2]
        if token.pos_ == "VERB" and token.tag_ in ("VBD", "VBZ"):
            verbs.append(token)
    for verb in verbs:
        if _in_ranges(ranges, verb.idx):
            continue
        node = verb
        for _ in range(2):  # "leaned in and boomed": the subject of the first verb of a coordination
            subject = next(
                (c for c in node.children if c.dep_ == "nsubj" and not _in_ranges(ranges, c.idx)), None
            )
            if subject is not None or node.dep_ != "conj":
                break
            node = node.head
        if subject is None:
            continue
        m_index = _mention_at(article, block, subject.idx)
        label = article.mentions[m_index].label if m_index is not None else None
        if label in ("PERSON", "ORG", "NORP") or subject.lower_ in PERSONAL_SUBJECT_PRONOUNS:
            return replace(_attribution(article, block, subject, verb), via="manner-verb")
    return None


def _clause_subject(article: _Article, block: int, span: tuple[int, int]) -> Attribution | None:
    """A scare quote in "Cruz questioned Trump's “New York values”": the person or body whose clause holds it
    stands behind the words, whatever the verb."""
    doc = article.docs[block]
    ranges = article.quote_ranges[block]
    inside = doc.char_span(span[0], span[1], alignment_mode="expand")
    if inside is None or len(inside) == 0:
        return None
    token = inside[0]
    for _ in range(6):
        if token.head.i == token.i:
            return None
        token = token.head
        if token.pos_ not in ("VERB", "AUX") or _in_ranges(ranges, token.idx):
            continue
        if token.dep_ in ("acl", "advcl"):
            return None
        if token.lemma_ not in LIGHT_VERB_LEMMAS:
            for child in token.children:
                if child.dep_ != "nsubj" or _in_ranges(ranges, child.idx):
                    continue
                m_index = _mention_at(article, block, child.idx)
                label = article.mentions[m_index].label if m_index is not None else None
                if label in ("PERSON", "ORG", "NORP") or child.lower_ in PERSONAL_SUBJECT_PRONOUNS:
                    return replace(_attribution(article, block, child, token), via="clause-subject")
        # the clause right around the quote, or the one reporting it ("X pointed out that ..."); an open
        # complement ("X tried to stop the “...”") takes its subject from the clause it hangs on
        if token.dep_ not in ("ccomp", "xcomp"):
            return None
    return None


def _colon_intro(article: _Article, block: int) -> Attribution | None:
    """A paragraph ending in a colon with a cue ("He said:") introduces the quote that follows."""
    doc = article.docs[block]
    if not doc.text.rstrip().endswith(":") or len(doc) == 0:
        return None
    last_sent = list(doc.sents)[-1]
    return _cue_in(article, block, (last_sent.start, last_sent.end), (len(doc.text), len(doc.text)))


def _with(attribution: Attribution) -> dict[str, object]:
    return {
        "speaker": attribution.speaker,
        "speaker_entity": attribution.speaker_entity,
        "speaker_start": attribution.speaker_start,
        "speaker_end": attribution.speaker_end,
        "cue": attribution.cue,
        "cue_start": attribution.cue_start,
        "cue_end": attribution.cue_end,
        "description": attribution.description,
        "kind": "speech",
        "via": attribution.via,
    }


def _quotes(article: _Article, quote_spans: Sequence[QuoteSpan], para_blocks: Sequence[int]) -> list[Quote]:
    text = article.text
    regions_cache: dict[int, list[tuple[int, int]]] = {}
    quotes: list[Quote] = []
    previous: tuple[Attribution, int] | None = None  # last attribution and its (last) paragraph
    for span in quote_spans:
        if looks_like_title(text, span.start, span.end):
            quotes.append(
                Quote(start=span.start, end=span.end, text=text[span.start : span.end], kind="unattributed")
            )
            continue
        attribution: Attribution | None = None
        first_para = span.paragraphs[0]
        region = -1
        for piece, para in zip(span.pieces, span.paragraphs):
            block = para_blocks[para]
            if block not in regions_cache:
                regions_cache[block] = _regions(article.docs[block], article.quote_ranges[block])
            offset = article.blocks[block].start
            found, piece_region = _attribute_piece(
                article, block, (piece[0] - offset, piece[1] - offset), regions_cache[block]
            )
            if para == first_para:
                region = piece_region
            if found is not None:
                attribution = found
                break
        block = para_blocks[first_para]
        starts_paragraph = not text[article.blocks[block].start : span.start].strip()
        if attribution is None and starts_paragraph and first_para > 0:
            attribution = _colon_intro(article, para_blocks[first_para - 1])
            attribution = replace(attribution, via="colon") if attribution is not None else None
        starts_sentence = starts_paragraph
        if not starts_sentence and region >= 0:
            doc = article.docs[block]
            sentence_start = article.blocks[block].start + doc[regions_cache[block][region][0]].idx
            starts_sentence = not text[sentence_start : span.start].strip(" —–-(")
        if attribution is None and previous is not None and starts_sentence:
            # a quote opening its sentence right after an attributed quote continues it
            prev_attr, prev_para = previous
            same_paragraph = prev_para == first_para
            if same_paragraph or (prev_para == first_para - 1 and starts_paragraph):
                attribution = replace(prev_attr, via="continuation")
        if attribution is None:
            local = (span.start - article.blocks[block].start, span.end - article.blocks[block].start)
            attribution = _clause_subject(article, block, local)
        last_para = span.paragraphs[-1]
        fields: dict[str, object] = {"kind": "unattributed"}
        if attribution is not None:
            fields = _with(attribution)
            previous = (attribution, last_para)
        quotes.append(Quote(start=span.start, end=span.end, text=text[span.start : span.end], **fields))  # type: ignore[arg-type]
    return quotes


def _analyze_article(text: str, blocks: Sequence[Block], docs: Sequence[Doc]) -> Analysis:
    mentions: list[RawMention] = []
    for index, (block, doc) in enumerate(zip(blocks, docs)):
        mentions.extend(block_mentions(doc, block.start, index))
    entities, entity_of, genders = cluster(mentions)
    for entity, (name, label) in enumerate(entities):
        if label == "PERSON" and not genders[entity]:
            genders[entity] = name_gender(name)

    para_blocks = [i for i, b in enumerate(blocks) if b.kind in QUOTE_BLOCK_KINDS]
    quote_spans = find_quotes(text, [(blocks[i].start, blocks[i].end) for i in para_blocks])
    quote_ranges: list[list[tuple[int, int]]] = [[] for _ in blocks]
    for span in quote_spans:
        for (a, b), para in zip(span.pieces, span.paragraphs):
            block = para_blocks[para]
            offset = blocks[block].start
            quote_ranges[block].append((a - offset, b - offset))
    for ranges in quote_ranges:
        ranges.sort()
    mentions_by_block: list[list[int]] = [[] for _ in blocks]
    for m_index, mention in enumerate(mentions):
        mentions_by_block[mention.block].append(m_index)
    person_candidates: list[tuple[int, int, bool]] = []
    group_candidates: list[tuple[int, int, bool]] = []
    for m_index, mention in enumerate(mentions):
        if mention.label not in ("PERSON", "ORG", "NORP"):
            continue
        local = mention.start - blocks[mention.block].start
        if _in_ranges(quote_ranges[mention.block], local):
            continue
        root = docs[mention.block][mention.root]
        candidate = (mention.start, entity_of[m_index], root.dep_ in ("nsubj", "nsubjpass"))
        (person_candidates if mention.label == "PERSON" else group_candidates).append(candidate)
    article = _Article(
        text,
        blocks,
        docs,
        mentions,
        entity_of,
        entities,
        genders,
        quote_ranges,
        mentions_by_block,
        person_candidates,
        group_candidates,
    )
    quotes = _quotes(article, quote_spans, para_blocks)
    descriptions = _entity_descriptions(docs, blocks, mentions, entity_of, entities)
    # A speaker not described where they speak keeps the description the article gave them earlier.
    quotes = [
        replace(q, description=descriptions[q.speaker_entity])
        if q.description is None and q.speaker_entity is not None
        else q
        for q in quotes
    ]
    return Analysis(
        entities=tuple(
            Entity(name, label, descriptions[i]) for i, (name, label) in enumerate(entities)
        ),
        mentions=tuple(
            Mention(m.start, m.end, m.text, m.label, entity_of[i]) for i, m in enumerate(mentions)
        ),
        quotes=tuple(quotes),
    )


def analyze_many(
    items: Iterable[tuple[str, Sequence[Block]]], nlp: Language, batch_size: int = 64
) -> Iterator[Analysis]:
    """Analyse many articles with one `nlp.pipe` stream over all their blocks, yielding in input order."""
    pending: deque[tuple[str, Sequence[Block]]] = deque()

    def block_texts() -> Iterator[str]:
        for text, blocks in items:
            blocks = tuple(blocks)
            pending.append((text, blocks))
            for block in blocks:
                yield text[block.start : block.end]

    docs: list[Doc] = []
    for doc in nlp.pipe(block_texts(), batch_size=batch_size):
        while pending and not pending[0][1]:
            yield Analysis()
            pending.popleft()
        docs.append(doc)
        text, blocks = pending[0]
        if len(docs) == len(blocks):
            yield _analyze_article(text, blocks, docs)
            pending.popleft()
            docs = []
    while pending:
        pending.popleft()
        yield Analysis()


def analyze(text: str, blocks: Sequence[Block], nlp: Language) -> Analysis:
    """Analyse one article: entities and mentions from all blocks, quotes from paragraph blocks."""
    return next(analyze_many([(text, blocks)], nlp))
