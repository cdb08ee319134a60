"""What is in whose library: an article joins a reader's library when they save, upload or import it or one
of their feeds brings it."""

from __future__ import annotations

from ..models import Article, LibraryEntry


def library_add(*, reader, article: Article, via: str = LibraryEntry.Via.SAVED) -> LibraryEntry | None:
    """Put `article` in `reader`'s library (once: saving it again keeps the first entry). Nothing for an
    anonymous reader, whose saves have no library to go to."""
    if reader is None or not reader.is_authenticated:
        return None
    entry, _ = LibraryEntry.objects.get_or_create(reader=reader, article=article, defaults={"via": via})
    return entry
