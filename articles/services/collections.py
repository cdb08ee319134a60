"""A reader's collections: their own labels on articles, renamable, private unless they make one public.

Only the owner changes a collection (staff included: a collection is a reader's own, like their notes)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from ..models import Article, Collection
from .reader_library import article_share, may_share

NAME_MAX_CHARS = 100
COLLECTIONS_MAX = 500  # per reader


class CollectionRejected(ValueError):
    """A name or change a collection cannot take; the message is written for the reader."""


def _require_user(user) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Log in to keep collections.")


def _require_owner(collection: Collection, user) -> None:
    _require_user(user)
    if collection.user_id != user.pk:
        raise PermissionDenied("Only the reader who made a collection can change it.")


def clean_collection_name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise CollectionRejected("A collection needs a name.")
    if len(name) > NAME_MAX_CHARS:
        raise CollectionRejected(
            f"The name is too long: {len(name):,} characters, and the limit is {NAME_MAX_CHARS}."
        )
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") for ch in name):
        raise CollectionRejected("The name holds invisible or control characters: type it again.")
    return name


def _refuse_taken(user, name: str, besides: int | None = None) -> None:
    taken = Collection.objects.filter(user=user, name__iexact=name).exclude(pk=besides).first()
    if taken is not None:
        raise CollectionRejected(f"You already have a collection called “{taken.name}”.")


def collection_create(*, user, name: str, public: bool = False) -> Collection:
    _require_user(user)
    name = clean_collection_name(name)
    with transaction.atomic():
        _refuse_taken(user, name)
        if Collection.objects.filter(user=user).count() >= COLLECTIONS_MAX:
            raise CollectionRejected(f"You have {COLLECTIONS_MAX} collections, the most one reader can keep.")
        try:
            with transaction.atomic():
                return Collection.objects.create(user=user, name=name, public=bool(public))
        except IntegrityError:  # made by another request between the check and the insert
            raise CollectionRejected(f"You already have a collection called “{name}”.") from None


def collection_update(
    *, collection: Collection, user, name: str | None = None, public: bool | None = None
) -> Collection:
    """Rename a collection and/or make it public or private again."""
    _require_owner(collection, user)
    fields = []
    with transaction.atomic():
        if name is not None:
            name = clean_collection_name(name)
            _refuse_taken(user, name, besides=collection.pk)
            collection.name = name
            fields.append("name")
        if public is not None:
            collection.public = bool(public)
            fields.append("public")
        if fields:
            collection.save(update_fields=fields)
        if collection.public:
            _share_listed(collection, user)
    return collection


def _share_listed(collection: Collection, user) -> None:
    """A public collection shares the articles it lists (those its owner may share: in their library).
    Making it private again leaves them shared; "Stop sharing" on an article takes one back."""
    for article in collection.articles.filter(public=False):
        if may_share(article, user):
            article_share(article=article, by=user)


def collection_delete(*, collection: Collection, user) -> None:
    """The collection goes; its articles stay in the library."""
    _require_owner(collection, user)
    with transaction.atomic():
        collection.delete()


def collection_add_articles(*, collection: Collection, user, articles: Iterable[Article]) -> int:
    _require_owner(collection, user)
    articles = list(articles)
    with transaction.atomic():
        before = collection.articles.count()
        collection.articles.add(*articles)
        if collection.public:
            _share_listed(collection, user)
        return collection.articles.count() - before


def collection_remove_articles(*, collection: Collection, user, articles: Iterable[Article]) -> None:
    _require_owner(collection, user)
    with transaction.atomic():
        collection.articles.remove(*list(articles))
