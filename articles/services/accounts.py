"""Accounts: a reader signs up (logging in and out are Django's own views)."""

from __future__ import annotations

from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction


@transaction.atomic
def account_create(*, form: UserCreationForm) -> AbstractBaseUser:
    """Store the account a valid sign-up form describes (Django's password rules already checked it)."""
    return form.save()
