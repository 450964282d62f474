"""Passwords are argon2id-hashed, salted, checked without raising, and at least 10 characters."""

from __future__ import annotations

import pytest

from bedside.errors import InputError
from bedside.review.accounts import hash_password, validate_username, verify_password


def test_hash_is_argon2id_salted_and_verifies() -> None:
    first = hash_password("correct horse battery")
    second = hash_password("correct horse battery")
    assert first.startswith("$argon2id$")
    assert "correct horse battery" not in first
    assert first != second  # a fresh salt each time
    assert verify_password(first, "correct horse battery")
    assert verify_password(second, "correct horse battery")


def test_wrong_password_or_malformed_hash_does_not_verify() -> None:
    stored = hash_password("correct horse battery")
    assert not verify_password(stored, "correct horse batterY")
    assert not verify_password(stored, "")
    assert not verify_password("not-a-hash", "correct horse battery")


@pytest.mark.parametrize("password", ["", "short", "nine-char"])
def test_refuses_passwords_shorter_than_ten_characters(password: str) -> None:
    with pytest.raises(InputError, match="at least 10 characters") as refused:
        hash_password(password)
    assert refused.value.where == "password"


def test_ten_characters_is_enough() -> None:
    assert verify_password(hash_password("0123456789"), "0123456789")


@pytest.mark.parametrize("username", ["alice", "dr.smith", "rev-2", "a_b"])
def test_valid_usernames(username: str) -> None:
    assert validate_username(username) == username


@pytest.mark.parametrize("username", ["", "a", "Alice", "-x", "has space", "x" * 65, "é1"])
def test_invalid_usernames_name_the_field(username: str) -> None:
    with pytest.raises(InputError) as refused:
        validate_username(username)
    assert refused.value.where == "username"
