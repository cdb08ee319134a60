from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.core.validators import FileExtensionValidator, ProhibitNullCharactersValidator

from .interchange.article_files import upload_limit
from .services.annotations import plain_line_breaks

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
    folder = forms.CharField(
        label="Folder", max_length=200, required=False, help_text="Optional: a folder of yours to keep it in."
    )


class SubscriptionForm(forms.Form):
    title = forms.CharField(
        label="Your name for it", max_length=300, required=False, help_text="Empty: the feed's own title."
    )
    folder = forms.CharField(label="Folder", max_length=200, required=False, help_text="Empty: no folder.")


class OpmlForm(forms.Form):
    file = forms.FileField(label="OPML file", widget=forms.ClearableFileInput(attrs={"accept": ".opml,.xml"}))


class _TextField(forms.CharField):
    """Text as sent, NUL included: the annotation service turns a NUL in a note into U+FFFD rather than refusing
    it, and refuses a passage that is not the article's."""

    def __init__(self, **kwargs):
        super().__init__(required=False, strip=False, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]


class AnnotationForm(forms.Form):
    """The note form as sent, to edit an annotation. It only reads the fields; what they may hold (the note's
    length and script, tags, colour, visibility) is checked by services/annotations, which states the limits
    and words the messages, so a form and an import are refused alike."""

    note = _TextField()
    colour = forms.CharField(required=False)
    tags = _TextField()
    visibility = forms.CharField(required=False)

    def error_message(self) -> str:
        """The first problem, for the form's one error line."""
        return next(iter(self.errors.values()))[0] if self.errors else ""


_OFFSET_MESSAGE = "The selection's offsets must be whole numbers."


class NewAnnotationForm(AnnotationForm):
    """A new annotation: the passage as selected (offsets and its words) or pasted (its words only), and
    `quick` for a highlight from the toolbar that leaves the open panel as it is."""

    start = forms.IntegerField(required=False, error_messages={"invalid": _OFFSET_MESSAGE})
    end = forms.IntegerField(required=False, error_messages={"invalid": _OFFSET_MESSAGE})
    exact = _TextField()
    quick = forms.BooleanField(required=False)

    def clean_exact(self) -> str:
        # Article text never holds CR, so this undoes the form's transport and nothing else: the service still
        # requires text[start:end] == exact.
        return plain_line_breaks(self.cleaned_data["exact"])


def _latin_look_alike(name: str) -> str:
    """`name` with each letter of another script that has a Latin look-alike replaced by it ("рор", Cyrillic,
    becomes "pop"), after Unicode's confusables list (confusable_homoglyphs)."""
    from confusable_homoglyphs import categories, confusables

    replacements = {}
    for found in confusables.is_confusable(name, greedy=True, preferred_aliases=["latin"]) or []:
        if found["alias"] in ("LATIN", "COMMON"):
            continue
        for homoglyph in found["homoglyphs"]:
            if all(categories.alias(char) in ("LATIN", "COMMON") for char in homoglyph["c"]):
                replacements[found["character"]] = homoglyph["c"]
                break
    return "".join(replacements.get(char, char) for char in name)


class SignupForm(UserCreationForm):
    """Django's sign-up form, refusing user names that pass for another: letters of two scripts in one name
    ("bоb" with a Cyrillic о), or a name in another script that reads as an existing account's ("ЬоЬ")."""

    def clean_username(self):
        from confusable_homoglyphs import confusables

        username = super().clean_username()
        if username is None:  # already refused (taken, in any case)
            return username
        if confusables.is_mixed_script(username):
            raise forms.ValidationError(
                "A user name is written in one alphabet: this one mixes letters of two (for instance a "
                "Cyrillic “о” among Latin letters), so it could pass for another name.",
                code="mixed_script",
            )
        look_alike = _latin_look_alike(username)
        if look_alike != username and User.objects.filter(username__iexact=look_alike).exists():
            raise forms.ValidationError(
                f"That user name looks the same as “{look_alike}”, another reader's: choose another.",
                code="confusable",
            )
        # The other way round: "bob" when "ЬоЬ" is taken (only names with letters beyond ASCII can be one).
        for other in User.objects.filter(username__regex=r"[^\x00-\x7f]").values_list("username", flat=True):
            if _latin_look_alike(other).lower() == look_alike.lower():
                raise forms.ValidationError(
                    f"That user name looks the same as “{other}”, another reader's: choose another.",
                    code="confusable",
                )
        return username
