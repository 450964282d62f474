"""The board's user accounts and their passwords (argon2id hashes; a password is never stored)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bedside.errors import InputError
from bedside.review.workflow import Role

MIN_PASSWORD_CHARS = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


@dataclass(frozen=True, slots=True)
class User:
    """A board member, as every layer above the store sees them (no password hash)."""

    user_id: str
    username: str
    role: Role
    created_at: str  # ISO 8601, UTC
    disabled: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "username": self.username,
            "role": self.role.value,
            "created_at": self.created_at,
            "disabled": self.disabled,
        }


def new_user_id() -> str:
    return f"usr_{uuid.uuid4().hex}"


def validate_username(username: str) -> str:
    """The username, if well formed: 2-64 of a-z 0-9 . _ -, starting with a letter or digit."""
    if not _USERNAME.match(username):
        raise InputError(
            f"{username!r} is not a valid username: use 2-64 lower-case letters, digits, "
            "'.', '_' or '-', starting with a letter or digit",
            where="username",
        )
    return username


def hash_password(password: str) -> str:
    """An argon2id hash of `password`; `InputError` if it is shorter than 10 characters."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise InputError(
            f"the password must have at least {MIN_PASSWORD_CHARS} characters",
            where="password",
        )
    return PasswordHasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches `password_hash` (False for a malformed hash, never raises)."""
    try:
        return PasswordHasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
