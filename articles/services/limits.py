"""Rate-limit counts (articles/throttling.py reads them): one row per limit, account or address and window.

Counted in the database, not in a cache, so that every gunicorn worker and every host shares them: an UPDATE
with F("count") + 1 is atomic on SQLite and PostgreSQL alike (a cache's incr is a read and a write, which two
processes can interleave). A new window's row is inserted once; a writer that loses that race adds to the
winner's row.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..models import RateCount


def rate_count_add(*, key: str, expires: datetime.datetime, now: datetime.datetime | None = None) -> int:
    """Count one more request under `key` (a window that ends at `expires`); the count so far, this one included."""
    now = now or timezone.now()
    with transaction.atomic():
        if not RateCount.objects.filter(key=key).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCount.objects.create(key=key, count=1, expires=expires)
                # A new window: the rows of windows that have ended go (one small indexed delete per window).
                RateCount.objects.filter(expires__lte=now).exclude(key=key).delete()
                return 1
            except IntegrityError:  # another worker inserted it first
                RateCount.objects.filter(key=key).update(count=F("count") + 1)
        return RateCount.objects.filter(key=key).values_list("count", flat=True).get()
