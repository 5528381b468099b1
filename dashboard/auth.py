"""The owner's password: only the clinic owner may upload, see the import history or undo.

The password is never stored, only a scrypt hash (Python's hashlib), read from
``.streamlit/secrets.toml`` (``owner_password_hash = "..."``) or the environment variable
``RUGZICHT_OWNER_PASSWORD_HASH``. Create one with ``python -m dashboard.auth``. Without a hash
configured the owner area stays closed: there is no default password.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import os
import secrets
import sys

SCHEME = "scrypt"
_N, _R, _P = 2**14, 8, 1
ENV_VAR = "RUGZICHT_OWNER_PASSWORD_HASH"
SECRET_KEY = "owner_password_hash"  # noqa: S105 (the name of the secrets entry, not a password)
MAX_ATTEMPTS = 5


def hash_password(password: str, salt: bytes | None = None) -> str:
    """A self-describing scrypt hash: 'scrypt$n$r$p$salt$hash' (base64 parts)."""
    if not password:
        raise ValueError("the password must not be empty")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"{SCHEME}${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches a hash made by `hash_password` (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != SCHEME:
            return False
        actual = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=32,
        )
        return hmac.compare_digest(actual, base64.b64decode(digest))
    except (ValueError, TypeError):
        return False


def configured_hash(secrets_mapping=None) -> str | None:
    """The owner's password hash from Streamlit secrets or the environment, if any."""
    if secrets_mapping is not None:
        try:
            value = secrets_mapping.get(SECRET_KEY)
        except (FileNotFoundError, KeyError, AttributeError):
            value = None
        if value:
            return str(value)
    return os.environ.get(ENV_VAR) or None


def main(argv: list[str]) -> int:
    password = getpass.getpass("Owner password: ")
    if password != getpass.getpass("Again: "):
        print("the two passwords differ", file=sys.stderr)
        return 2
    print(f'{SECRET_KEY} = "{hash_password(password)}"')
    print(f"# put this line in .streamlit/secrets.toml, or set {ENV_VAR} to the quoted value")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
