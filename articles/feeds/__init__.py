"""Feeds: reading RSS, Atom and JSON Feed documents and OPML subscription lists. No network, no database."""
