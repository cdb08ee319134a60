from django import forms

from .interchange.article_files import upload_limit


class ArticleForm(forms.Form):
    title = forms.CharField(
        label="Headline",
        max_length=500,
        required=False,
        help_text="Leave empty when the first line of the text is the headline.",
    )
    text = forms.CharField(
        label="Article text",
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        strip=False,
    )
    file = forms.FileField(label="…or upload a .txt or .html file", required=False)
    source = forms.CharField(label="Source", max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("text", "").strip() and not cleaned.get("file"):
            raise forms.ValidationError("Paste the article text or choose a .txt or .html file to upload.")
        upload = cleaned.get("file")
        if upload and upload.size > upload_limit(upload.name):
            raise forms.ValidationError(
                f"The file is too large ({upload.size:,} bytes); the limit is {upload_limit(upload.name):,} bytes."
            )
        return cleaned
