"""Save now: one click on the bookmarklet (or "Share → newsreader" on a phone) saves the page's address and
lands on the article, or on the Add article form with a clear error to try again.

No GET writes. The bookmarklet opens `/articles/save/?url=…&key=…`, a page whose form POSTs the address (with
the CSRF token, counted by the rate limit like the Add article form) and submits itself at once when the
request is trusted: the key is the reader's own (a bookmarklet runs on the other site's page, so only a key
tells it from a link someone else planted), or the browser itself opened the address (`Sec-Fetch-Site: none`:
a phone's share sheet, a typed address, a plain bookmark). Otherwise the page asks with a "Save now" button."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.http import require_http_methods

from ..forms import ArticleForm
from ..interchange.article_files import ArticleRejected
from ..interchange.web_pages import is_web_address
from ..services.submissions import Outcome, Submission, Submitted, article_add
from ..throttling import limit
from .pages import HtmxHttpRequest
from .versions import offer_update

KEY_SALT = "articles.views.saving.save_key"
# Shared text this short, on one line, is a title and its link ("Winter storm closes schools https://…");
# longer text is a passage being shared, kept as it is even when it holds a link.
SHARED_TEXT_WITH_LINK_CHARS = 600


def save_key(user) -> str:
    """The reader's own key for the "Save now" bookmarklet. It is made from their password hash, so setting
    a new password retires every bookmarklet made before; alone (without the reader's logged-in browser) it
    saves nothing."""
    return salted_hmac(KEY_SALT, f"{user.pk}:{user.password}", algorithm="sha256").hexdigest()[:32]


def save_now_bookmarklet(request: HtmxHttpRequest) -> str:
    """`javascript:` that opens "Save now" for the page it runs on, with the reader's key."""
    target = request.build_absolute_uri(reverse("articles:save_now"))
    query = "?" + urlencode({"key": save_key(request.user)}) + "&url="
    return "javascript:location.href=" + json.dumps(target + query) + "+encodeURIComponent(location.href)"


def _trusted(request: HtmxHttpRequest) -> bool:
    key = request.GET.get("key", "")
    if key and constant_time_compare(key, save_key(request.user)):
        return True
    return request.headers.get("Sec-Fetch-Site") == "none"


def shared_fields(query) -> dict:
    """What a bookmarklet or a phone's "Share" sends (?url=, ?title=, ?text=). When an address comes, it is
    all that is kept: newsreader fetches the page and reads its headline, as for a pasted address (a page's
    title carries the site's name: "Winter storm … - The Springfield Herald"). A shared link often arrives in
    the text, alone or after the page's title."""
    url = query.get("url", "").strip()
    text = query.get("text", "").strip()
    if not url and len(text) <= SHARED_TEXT_WITH_LINK_CHARS and "\n" not in text:
        url = next((word for word in reversed(text.split()) if is_web_address(word)), "")
    if url:
        return {"url": url}
    return {name: query.get(name, "").strip() for name in ("title", "text") if query.get(name, "").strip()}


def form_page(request: HtmxHttpRequest, form: ArticleForm, *, saved=None) -> HttpResponse:
    """The Add article page: the form (with its errors, and `saved`, the article it brought again), and the
    bookmarklets that save from anywhere."""
    # The address only: the server fetches the page and extracts its headline (document.title is not it).
    bookmarklet = (
        "javascript:location.href="
        + json.dumps(request.build_absolute_uri(reverse("articles:create")) + "?url=")
        + "+encodeURIComponent(location.href)"
    )
    context = {
        "form": form,
        "bookmarklet": bookmarklet,
        "save_now_bookmarklet": save_now_bookmarklet(request) if request.user.is_authenticated else "",
        "saved": saved,
    }
    return render(request, "articles/article_form.html", context, status=400 if form.errors else 200)


def not_an_article_page(request: HtmxHttpRequest, submitted: Submitted, *, action: str, url: str, kept=()):
    """Asked before saving a page that looks like a site's front page: why, and "Save anyway"."""
    incoming = submitted.incoming
    headline = incoming.title or next((line for line in incoming.text.split("\n") if line.strip()), "")
    context = {"submitted": submitted, "headline": headline, "action": action, "url": url, "kept": kept}
    return render(request, "articles/not_an_article.html", context, status=409)


@require_http_methods(["GET", "POST"])
@limit("add")
def save_now(request: HtmxHttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method == "GET":
        shared = shared_fields(request.GET)
        if not shared.get("url"):  # a passage shared without a link: the form, filled in, to paste it
            return redirect(reverse("articles:create") + "?" + urlencode(shared))
        context = {"url": shared["url"], "autosubmit": _trusted(request)}
        return render(request, "articles/save_now.html", context)
    form = ArticleForm({"url": request.POST.get("url", "")})
    if not form.is_valid():
        return form_page(request, form)
    url, anyway = form.cleaned_data["url"], request.POST.get("anyway") == "1"
    try:
        submitted = article_add(submission=Submission(url=url, anyway=anyway), reader=request.user)
    except ArticleRejected as error:
        form.add_error(None, str(error))
        return form_page(request, form)
    if submitted.outcome == Outcome.NOT_AN_ARTICLE:
        return not_an_article_page(request, submitted, action=reverse("articles:save_now"), url=url)
    if submitted.outcome == Outcome.CHANGED:
        return offer_update(request, submitted)
    if submitted.outcome == Outcome.ALREADY_HERE:
        messages.info(request, submitted.message)
    return redirect(submitted.article)
