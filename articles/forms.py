from django import forms
from django.core.validators import FileExtensionValidator

from .interchange.article_files import upload_limit

UPLOAD_SUFFIXES = ("txt", "html", "htm", "jsonl")

ADDRESS_MAX_CHARS = 500


class ArticleForm(forms.Form):
    url = forms.URLField(
        label="Address of the article",
        max_length=ADDRESS_MAX_CHARS,
        required=False,
        assume_scheme="https",
        help_text="Paste a news page's address (http or https) and newsreader fetches it.",
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
    )
    title = forms.CharField(
        label="Headline",
        max_length=500,
        required=False,
        help_text="Leave empty when the first line of the text is the headline.",
    )
    text = forms.CharField(
        label="…or paste the article text",
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        strip=False,
    )
    file = forms.FileField(
        label="…or upload a .txt, .html or .jsonl file",
        required=False,
        validators=[
            FileExtensionValidator(
                list(UPLOAD_SUFFIXES),
                "newsreader reads .txt, .html, .htm and .jsonl files, not .%(extension)s: save the article as "
                "text or as a web page (a PDF or a word-processor file cannot be read).",
            )
        ],
        # The browser's file chooser offers only these; the server checks the name and the content anyway.
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{s}" for s in UPLOAD_SUFFIXES)}),
    )
    source = forms.CharField(label="Source", max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        given = [name for name in ("url", "text", "file") if cleaned.get(name) and str(cleaned[name]).strip()]
        if not given and not self.errors:
            raise forms.ValidationError(
                "Paste an address or the article text, or choose a .txt, .html or .jsonl file."
            )
        upload = cleaned.get("file")
        if upload and upload.size > upload_limit(upload.name):
            raise forms.ValidationError(
                f"The file is too large ({upload.size:,} bytes); the limit is {upload_limit(upload.name):,} bytes."
            )
        return cleaned


class FeedForm(forms.Form):
    url = forms.URLField(
        label="Feed address",
        max_length=ADDRESS_MAX_CHARS,
        assume_scheme="https",
        help_text="An RSS, Atom or JSON feed, or a site's page that links to one.",
    )


class OpmlForm(forms.Form):
    file = forms.FileField(label="OPML file", widget=forms.ClearableFileInput(attrs={"accept": ".opml,.xml"}))
