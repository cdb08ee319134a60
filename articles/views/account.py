"""The account page: who the reader is, what they keep here, their email address for password resets.
Password change and reset are Django's own views (newsreader/urls.py), email through EMAIL_BACKEND.

A new address is used only once its owner follows the link sent to it, and the page answers the same
whether or not another account has that address: so nobody can learn which addresses have accounts here, or
take someone else's address to keep its reset links from them."""

from __future__ import annotations

from django.contrib import messages
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ..models import Annotation, Article, Collection, ReadingState
from ..services.accounts import (
    EMAIL_CONFIRMATION_DAYS,
    AccountRejected,
    account_set_email,
    email_check,
    email_confirmation_read,
    email_confirmation_token,
    email_in_use,
)
from ..throttling import limit
from .pages import login_first


def _send_confirmation(request: HttpRequest, user, email: str) -> None:
    """The link that makes `email` this account's address; or, when another account has it, a note saying so
    to that address (its owner learns of it; the person asking learns nothing)."""
    context = {
        "user": user,
        "email": email,
        "days": EMAIL_CONFIRMATION_DAYS,
        "site": request.get_host(),
        "reset_url": request.build_absolute_uri(reverse("password_reset")),
    }
    if email_in_use(email=email, user=user):
        body = render_to_string("registration/email_taken_email.txt", context, request)
    else:
        token = email_confirmation_token(user=user, email=email)
        context["link"] = request.build_absolute_uri(reverse("email_confirm", args=[token]))
        body = render_to_string("registration/email_confirm_email.txt", context, request)
    send_mail("Confirm your email address for newsreader", body, None, [email])


@require_http_methods(["GET", "POST"])
@login_first()
@limit("signup", what="sign-ups, reset links and email confirmations")
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    email, error = user.email, ""
    if request.method == "POST":
        email = request.POST.get("email", "")[:300].strip()
        try:
            if not email:
                account_set_email(user=user, email="")
                messages.success(request, "Email address removed.")
            elif email.lower() == user.email.lower():
                messages.success(request, "That is already your address.")
            else:
                _send_confirmation(request, user, email_check(email))
                messages.success(
                    request,
                    f"We sent a link to {email}. Follow it within {EMAIL_CONFIRMATION_DAYS} days to use that "
                    "address for password resets; until then your account keeps "
                    + (f"{user.email}." if user.email else "no address."),
                )
        except AccountRejected as refused:
            error = str(refused)
        else:
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


@require_http_methods(["GET", "POST"])
@login_first()
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (a mail program that opens links to look at them changes nothing); POST makes the address
    the account's."""
    try:
        email = email_confirmation_read(token=token, user=request.user)
        if request.method == "POST":
            account_set_email(user=request.user, email=email)
            messages.success(request, f"Email address saved: reset links now go to {email}.")
            return redirect("account")
    except AccountRejected as refused:
        return render(request, "registration/email_confirm.html", {"error": str(refused)}, status=400)
    return render(request, "registration/email_confirm.html", {"email": email})
