"""Pay link codes (pure apart from settings): a random base62 part and a short HMAC check, so a forged
or mistyped code is refused without asking the database."""

from __future__ import annotations

import re
import secrets
import string

from django.utils.crypto import constant_time_compare, salted_hmac

ALPHABET = string.digits + string.ascii_letters  # base62
RANDOM_LENGTH = 12  # 62**12 ≈ 3·10^21 (71 bits): not guessable
CHECK_LENGTH = 4
CODE_LENGTH = RANDOM_LENGTH + CHECK_LENGTH
SALT = "outreach.pay-link"
CODE_RE = re.compile(rf"^[0-9A-Za-z]{{{CODE_LENGTH}}}$")


def _base62(number: int, length: int) -> str:
    chars = []
    for _ in range(length):
        number, rest = divmod(number, 62)
        chars.append(ALPHABET[rest])
    return "".join(chars)


def check_for(random_part: str) -> str:
    digest = salted_hmac(SALT, random_part, algorithm="sha256").digest()
    return _base62(int.from_bytes(digest[:8], "big"), CHECK_LENGTH)


def new_code() -> str:
    random_part = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return random_part + check_for(random_part)


def code_is_well_formed(code: str) -> bool:
    """True when the code has our shape and its check matches (constant time)."""
    if not isinstance(code, str) or not CODE_RE.match(code):
        return False
    return constant_time_compare(code[RANDOM_LENGTH:], check_for(code[:RANDOM_LENGTH]))
