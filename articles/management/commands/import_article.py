"""Import plain-text articles into the library; a bad file gets one line on stderr and a non-zero exit."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.services import ArticleRejected, article_import, text_from_bytes


class Command(BaseCommand):
    help = "Import one or more plain-text (.txt) articles."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--source", default="")

    def handle(self, *args, files, source, **options):
        failed = 0
        for name in files:
            try:
                data = Path(name).read_bytes()
                article = article_import(text=text_from_bytes(data), source=source)
            except OSError as error:
                self.stderr.write(f"{name}: cannot read the file ({error.strerror})")
                failed += 1
            except ArticleRejected as error:
                self.stderr.write(f"{name}: {error}")
                failed += 1
            else:
                self.stdout.write(f"{name}: imported as article {article.pk}, “{article.title}”")
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) not imported")
