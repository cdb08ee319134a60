"""The account page: who the reader is, what they keep here, their email address for password resets.
Password change and reset are Django's own views (newsreader/urls.py), email through EMAIL_BACKEND."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..models import Annotation, Article, Collection, ReadingState
from ..services.accounts import AccountRejected, account_set_email
from .pages import login_first


@require_http_methods(["GET", "POST"])
@login_first()
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    email, error = user.email, ""
    if request.method == "POST":
        email = request.POST.get("email", "")[:300]
        try:
            account_set_email(user=user, email=email)
        except AccountRejected as refused:
            error = str(refused)
        else:
            messages.success(request, "Email address saved." if user.email else "Email address removed.")
            return redirect("account")
    states = ReadingState.objects.filter(user=user)
    context = {
        "email": email,
        "email_error": error,
        "annotation_total": Annotation.objects.filter(user=user).count(),
        "collection_total": Collection.objects.filter(user=user).count(),
        "read_total": states.filter(read=True).count(),
        "favourite_total": states.filter(favourite=True).count(),
        "added_total": Article.objects.filter(added_by=user).count(),
    }
    return render(request, "registration/account.html", context, status=400 if error else 200)
