"""Bytes across the border: article files read into ArticleInput, annotations exported and imported."""
