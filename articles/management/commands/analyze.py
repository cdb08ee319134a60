"""Print the analysis of text files as JSON lines; reads no database and writes nothing."""

import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.nlp.jsonl import analyze_document
from articles.nlp.model import load_model


class Command(BaseCommand):
    help = "Analyse plain-text articles and print quotes, speakers and entities, one JSON object per file."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--format", choices=["jsonl"], default="jsonl")

    def handle(self, *args, files, **options):
        nlp = load_model(settings.NEWSREADER_SPACY_MODEL)
        for path in files:
            try:
                with open(path, encoding="utf-8", newline="") as handle:
                    text = handle.read()
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"{path}: cannot read as UTF-8 text ({error})") from None
            sys.stdout.write(json.dumps(analyze_document(path, text, nlp), ensure_ascii=False) + "\n")
