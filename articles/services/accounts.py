"""Accounts: a reader signs up (logging in and out are Django's own views)."""

from __future__ import annotations

from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction


@transaction.atomic
def account_create(*, form: UserCreationForm) -> AbstractBaseUser:
    """Store the account a valid sign-up form describes (Django's password rules already checked it)."""
    return form.save()


class AccountRejected(ValueError):
    """A change an account cannot take; the message is for the reader."""


def email_check(email: str) -> str:
    """`email` trimmed, or AccountRejected when it is not an email address (whose it is, is not told)."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise AccountRejected(f"“{email[:100]}” is not an email address.") from None
    return email


def email_in_use(*, email: str, user) -> bool:
    """Whether another account has this address (case ignored)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk).exists()


def account_set_email(*, user, email: str) -> AbstractBaseUser:
    """The address a password-reset link goes to (empty: none); checked, and one account's own. The account
    page sets one only from a confirmation link sent to it (views/account.py), so nobody learns whether an
    address is in use, or takes someone else's."""
    email = (email or "").strip()
    if email:
        email = email_check(email)
        if email_in_use(email=email, user=user):
            raise AccountRejected("Another account uses that address: each address can reset one account.")
    with transaction.atomic():
        user.email = email
        user.save(update_fields=["email"])
    return user


# A link to confirm a new address works for this long, and once: it names the address the account had.
EMAIL_CONFIRMATION_DAYS = 3
_EMAIL_SALT = "newsreader.accounts.email-confirmation"


def email_confirmation_token(*, user, email: str) -> str:
    """A signed token for the link that makes `email` the account's address once its owner follows it."""
    from django.core import signing

    data = {"user": user.pk, "email": email, "was": user.email}
    return signing.dumps(data, salt=_EMAIL_SALT, compress=True)


def email_confirmation_read(*, token: str, user) -> str:
    """The address a confirmation link for `user` carries; AccountRejected when the link is not theirs, is
    too old, or was used already (the account's address has changed since it was made)."""
    import datetime

    from django.core import signing

    try:
        data = signing.loads(
            token, salt=_EMAIL_SALT, max_age=datetime.timedelta(days=EMAIL_CONFIRMATION_DAYS)
        )
    except signing.SignatureExpired:
        raise AccountRejected(
            f"That link is over {EMAIL_CONFIRMATION_DAYS} days old: save the address again for a new one."
        ) from None
    except signing.BadSignature:
        raise AccountRejected("That link is not a whole confirmation link: copy all of it.") from None
    if not isinstance(data, dict) or data.get("user") != user.pk:
        raise AccountRejected("That link confirms an address for another account: log in to that one.")
    if data.get("was") != user.email:
        raise AccountRejected("That link was used already, or a newer one replaced it.")
    return str(data.get("email", ""))
