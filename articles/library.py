"""People and organisations across the library: which article entities are the same actor.

The matching rule, applied to each article's canonical entity names (the engine already joined "Mr. Pompeo"
to "Mike Pompeo" inside one article):

1. Only PERSON and ORG entities get actors.
2. A name is reduced to a key: accents folded, case and punctuation dropped, a possessive "'s" dropped.
   - People: leading titles and roles go ("Secretary of State", "President", "Mr.", "Sen."), so do middle
     initials ("Michael R. Pompeo") and suffixes ("Jr.", "III"). What is left is given name(s) + surname.
   - Organisations: a leading "the" goes ("The Pentagon" = "Pentagon").
3. Two entities are one actor when label and key are equal. So "Mike Pompeo" and "Secretary of State Mike
   Pompeo" are one person; "Donald Trump" and "Ivanka Trump" are two.
4. A person an article only ever names with one word ("Trump", "President Trump", "Mr. Pompeo") is never
   joined to a full name: a surname alone cannot tell Donald from Ivanka Trump. Such names get an actor of
   their own, marked as a bare name, shared only with articles that also name that person by the same single
   word, so the reader still finds "Trump" across the articles that call him just that.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Sum

from .models import Actor, Quote, QuoteTally

ACTOR_LABELS = frozenset(Actor.LABELS)

# Words that come before a person's name as a title or role, never as the name itself.
PERSON_TITLES = frozenset(
    """
    mr mrs ms miss mx dr prof professor sir dame lord lady madam
    president vice secretary state minister prime deputy foreign defense defence interior finance
    chancellor premier senator sen rep representative congressman congresswoman gov governor mayor
    gen general adm admiral lt col colonel maj major sgt capt captain cmdr commander
    judge justice chief attorney solicitor ambassador envoy commissioner director chairman chairwoman chair
    ceo cfo founder spokesman spokeswoman spokesperson adviser advisor aide press speaker leader
    majority minority house senate white national security homeland treasury commerce labor health energy
    former acting then late rev reverend father pope king queen prince princess sheikh emir ayatollah
    us u.s of the and for
    """.split()
)
BARE_NAME_MARK = "="
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"})
_PUNCTUATION = re.compile(r"[^\w\s-]")
_DROPPED = re.compile(r"[.'’]")  # "U.S." -> "us", "O'Brien" -> "obrien"
_POSSESSIVE = re.compile(r"['’]s?$")


def _fold(name: str) -> list[str]:
    """Words of a name, lower case, accents and punctuation gone ("Kim Jong-un" -> ["kim", "jong-un"])."""
    name = unicodedata.normalize("NFKD", name)
    name = "".join(ch for ch in name if not unicodedata.combining(ch))
    name = _POSSESSIVE.sub("", name.strip())
    return [w for w in _PUNCTUATION.sub(" ", _DROPPED.sub("", name.lower())).split() if w.strip("-")]


def person_words(name: str) -> list[str]:
    """The words of a person's name without titles, initials and suffixes, original case kept."""
    raw = [w for w in re.split(r"\s+", _POSSESSIVE.sub("", name.strip())) if w]
    folded = _fold(name)
    if len(raw) != len(folded):  # punctuation-only words: fall back to the folded form
        raw = folded
    start = 0
    while start < len(folded) - 1 and folded[start].replace(".", "") in PERSON_TITLES:
        start += 1
    words = [
        (original, plain)
        for index, (original, plain) in enumerate(zip(raw, folded))
        if index >= start and plain not in NAME_SUFFIXES
    ]
    # A middle initial ("Michael R. Pompeo") says nothing the surname does not.
    if len(words) > 2:
        words = [words[0]] + [w for w in words[1:-1] if len(w[1]) > 1] + [words[-1]]
    return [original.strip(",.") for original, _ in words]


def actor_key(name: str, label: str) -> str:
    """The key two names must share to be one actor; "" for labels that get no actor."""
    if label not in ACTOR_LABELS:
        return ""
    if label == "PERSON":
        words = _fold(" ".join(person_words(name)))
        if len(words) == 1:
            return BARE_NAME_MARK + words[0]  # rule 4: never equal to a full name's key
        return " ".join(words)
    words = _fold(name)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def actor_name(name: str, label: str) -> str:
    """How an actor is shown: a person without their title ("Mike Pompeo"), an organisation as named."""
    if label == "PERSON":
        return " ".join(person_words(name))[:300]
    return re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)[:300] or name[:300]


def actors_for(names: Iterable[tuple[str, str]]) -> list[Actor | None]:
    """The actor of each (name, label), creating missing ones; None where the rule says no match."""
    names = list(names)
    keys = [(label, actor_key(name, label)) for name, label in names]
    wanted = {key for key in keys if key[1]}
    if not wanted:
        return [None] * len(names)
    found = {
        (a.label, a.key): a
        for a in Actor.objects.filter(key__in={k for _, k in wanted}, label__in={lbl for lbl, _ in wanted})
    }
    missing = {}
    for (name, label), key in zip(names, keys):
        if key[1] and key not in found and key not in missing:
            missing[key] = Actor(name=actor_name(name, label), label=label, key=key[1])
    if missing:
        # ignore_conflicts: another writer may have created the same actor a moment ago.
        Actor.objects.bulk_create(missing.values(), ignore_conflicts=True)
        found.update(
            {
                (a.label, a.key): a
                for a in Actor.objects.filter(
                    key__in={k for _, k in missing}, label__in={lbl for lbl, _ in missing}
                )
            }
        )
    return [found.get(key) if key[1] else None for key in keys]


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


@dataclass(frozen=True)
class TallyKey:
    actor_id: int
    source: str
    month: datetime.date


def _article_tallies(article_id: int, source: str, dated: datetime.date) -> Counter[TallyKey]:
    speakers = Quote.objects.filter(
        article_id=article_id, kind=Quote.SPEECH, speaker__actor__isnull=False
    ).values_list("speaker__actor_id", flat=True)
    return Counter(TallyKey(actor_id, source, month_of(dated)) for actor_id in speakers)


def tally_add(*, article_id: int, source: str, dated: datetime.date, sign: int = 1) -> None:
    """Count (sign=1) or uncount (sign=-1) an article's attributed quotes, inside its write transaction."""
    counts = _article_tallies(article_id, source, dated)
    if not counts:
        return
    table = QuoteTally._meta.db_table
    with connection.cursor() as cursor:
        # One upsert per article: add to the month's row, creating it at zero first.
        cursor.executemany(
            f"INSERT INTO {table} (actor_id, source, month, quotes) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (actor_id, source, month) DO UPDATE SET quotes = quotes + excluded.quotes",
            [(k.actor_id, k.source, k.month.isoformat(), sign * n) for k, n in counts.items()],
        )


def tallies_rebuild() -> None:
    """Count every quote again (after a bulk change made outside the services)."""
    QuoteTally.objects.all().delete()
    rows = Quote.objects.filter(kind=Quote.SPEECH, speaker__actor__isnull=False).values_list(
        "speaker__actor_id", "article__source", "article__dated"
    )
    counts = Counter(TallyKey(actor_id, source, month_of(dated)) for actor_id, source, dated in rows)
    QuoteTally.objects.bulk_create(
        [
            QuoteTally(actor_id=k.actor_id, source=k.source, month=k.month, quotes=n)
            for k, n in counts.items()
        ],
        batch_size=2000,
    )


# Read side: a person's quotes, "who is quoted" and the charts under it.


class ActorQuoteIds:
    """Ids of an actor's attributed quotes, newest article first, sliceable for a Paginator.

    The articles are walked newest first along the date index and each is probed for the actor's quotes
    (CROSS JOIN keeps SQLite to that order), so a page of a much-quoted person costs a few probes instead
    of sorting all their quotes; a rarely quoted one costs one pass over the date index.
    """

    def __init__(self, actor_id: int):
        self.actor_id = actor_id

    def __getitem__(self, window: slice) -> list[int]:
        offset = window.start or 0
        limit = (window.stop if window.stop is not None else offset + 20) - offset
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT q.id FROM articles_article a "
                "CROSS JOIN articles_entity e ON e.article_id = a.id AND e.actor_id = %s "
                "CROSS JOIN articles_quote q ON q.speaker_id = e.id AND q.kind = %s "
                "ORDER BY a.dated DESC, a.id DESC, q.start LIMIT %s OFFSET %s",
                [self.actor_id, Quote.SPEECH, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    url: str
    x: float
    y: float
    width: float
    height: float

    @property
    def text_y(self) -> float:
        return self.y + self.height - 4


def speakers_ranked(source: str | None = None, limit: int = 20) -> list[dict]:
    tallies = QuoteTally.objects.all()
    if source is not None:
        tallies = tallies.filter(source=source)
    rows = list(
        tallies.values("actor_id")
        .annotate(total=Sum("quotes"))
        .filter(total__gt=0)
        .order_by("-total", "actor_id")[:limit]
    )
    actors = Actor.objects.in_bulk([row["actor_id"] for row in rows])
    return [
        {"actor": actors[row["actor_id"]], "quotes": row["total"]}
        for row in rows
        if row["actor_id"] in actors
    ]


def quotes_by_month(source: str | None = None) -> list[dict]:
    tallies = QuoteTally.objects.all()
    if source is not None:
        tallies = tallies.filter(source=source)
    return [
        {"month": row["month"], "quotes": row["total"]}
        for row in tallies.values("month").annotate(total=Sum("quotes")).filter(total__gt=0).order_by("month")
    ]


def speaker_bars(ranked: list[dict], width: float = 560, row: float = 22) -> dict:
    """A horizontal bar per speaker; geometry computed here so the template only places it."""
    top = max((r["quotes"] for r in ranked), default=0) or 1
    label_width, bar_room = 180.0, width - 180.0 - 40.0
    bars = [
        Bar(
            label=r["actor"].name,
            value=r["quotes"],
            url=r["actor"].get_absolute_url(),
            x=label_width,
            y=i * row,
            width=max(1.0, round(bar_room * r["quotes"] / top, 1)),
            height=row - 6,
        )
        for i, r in enumerate(ranked)
    ]
    return {
        "bars": bars,
        "width": width,
        "height": max(row, len(bars) * row),
        "label_x": label_width - 6,
    }


def month_bars(months: list[dict], width: float = 560, height: float = 160) -> dict:
    """A vertical bar per month, oldest left; at most the last 36 months."""
    months = months[-36:]
    top = max((m["quotes"] for m in months), default=0) or 1
    step = width / max(1, len(months))
    plot = height - 20
    bars = []
    for i, m in enumerate(months):
        h = max(1.0, round(plot * m["quotes"] / top, 1))
        bars.append(
            Bar(
                label=m["month"].strftime("%b %Y"),
                value=m["quotes"],
                url="",
                x=round(i * step + 1, 1),
                y=round(plot - h, 1),
                width=max(1.0, round(step - 2, 1)),
                height=h,
            )
        )
    return {"bars": bars, "width": width, "height": height, "baseline": plot, "caption_y": height - 4}
