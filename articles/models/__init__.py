"""Articles and what the analysis found in them, stored as rows so that views never run spaCy: a module per
domain, every model and read helper named here as before."""

from .annotations import Annotation, AnnotationJob, AnnotationJobQuerySet, AnnotationQuerySet
from .articles import (
    ANALYSIS_PATIENCE,
    READING_WORDS_PER_MINUTE,
    Article,
    ArticleQuerySet,
    Block,
    Filters,
    fit,
    today,
)
from .corrections import CORRECTOR_PERMISSION, Correction, CorrectionQuerySet, may_correct
from .entities import LABEL_NAMES, READER_TYPES, Actor, Entity, Mention, label_name, reader_type
from .feeds import Feed, FeedEntry, Subscription
from .images import ArticleImage
from .library import LibraryEntry
from .quotes import (
    SAID_CHOICES,
    SAID_FORMS,
    TALLY_COLUMNS,
    UNKNOWN_MONTH,
    ActorQuoteIds,
    Quote,
    QuoteQuerySet,
    QuoteTally,
    QuoteTallyQuerySet,
)
from .readers import Collection, RateCount, ReaderPreferences, ReadingState

__all__ = [
    "ANALYSIS_PATIENCE",
    "CORRECTOR_PERMISSION",
    "LABEL_NAMES",
    "READER_TYPES",
    "READING_WORDS_PER_MINUTE",
    "SAID_CHOICES",
    "SAID_FORMS",
    "TALLY_COLUMNS",
    "UNKNOWN_MONTH",
    "Actor",
    "ActorQuoteIds",
    "Annotation",
    "AnnotationJob",
    "AnnotationJobQuerySet",
    "AnnotationQuerySet",
    "Article",
    "ArticleImage",
    "ArticleQuerySet",
    "Block",
    "Collection",
    "Correction",
    "CorrectionQuerySet",
    "Entity",
    "Feed",
    "FeedEntry",
    "Filters",
    "LibraryEntry",
    "Mention",
    "Quote",
    "QuoteQuerySet",
    "QuoteTally",
    "QuoteTallyQuerySet",
    "RateCount",
    "ReaderPreferences",
    "ReadingState",
    "Subscription",
    "fit",
    "label_name",
    "may_correct",
    "reader_type",
    "today",
]
