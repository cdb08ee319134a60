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


def account_set_email(*, user, email: str) -> AbstractBaseUser:
    """The address a password-reset link goes to (empty: none); checked, and one account's own."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise AccountRejected(f"“{email[:100]}” is not an email address.") from None
        if get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            raise AccountRejected("Another account uses that address: each address can reset one account.")
    with transaction.atomic():
        user.email = email
        user.save(update_fields=["email"])
    return user
