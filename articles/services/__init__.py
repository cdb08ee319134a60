"""The only place that writes: articles, annotations, actors and tallies, each in its own transaction."""
