"""Read-side HTML: article text with its highlights, notes, charts. Never writes; returns safe strings."""
