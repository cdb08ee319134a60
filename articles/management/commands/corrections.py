"""Readers' corrections: `corrections export DIR` writes them as gold for the attribution scorer."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.interchange.gold import ANNOTATOR, gold_documents


class Command(BaseCommand):
    help = (
        "export DIR: every article with a correction of a quote or its speaker, its attributions as corrected, "
        "as gold in the layout ../shared/eval/score_attributions.py reads (DIR/text/, DIR/attributions/)."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="write the corrected attributions as gold")
        export.add_argument("folder", type=Path, metavar="DIR", help="a new or empty folder")

    def handle(self, *args, action, folder: Path, **options):
        text, attributions = folder / "text", folder / "attributions"
        for part in (text, attributions):
            if part.exists() and any(part.iterdir()):
                raise CommandError(f"{part} is not empty: export into a new or empty folder.")
        text.mkdir(parents=True, exist_ok=True)
        attributions.mkdir(parents=True, exist_ok=True)
        written = units = 0
        for document in gold_documents():
            # newline="" keeps the text's characters as they are: the offsets count them.
            with open(text / f"{document.name}.txt", "w", encoding="utf-8", newline="") as out:
                out.write(document.text)
            with open(
                attributions / f"{document.name}_{ANNOTATOR}.ann", "w", encoding="utf-8", newline=""
            ) as out:
                out.write(document.ann)
            written += 1
            units += document.attributions
        self.stdout.write(f"Exported {written} corrected article(s), {units} attribution(s), to {folder}.")
