"""The owner's password: only the clinic owner may upload, see the import history or undo.

The password is never stored, only a scrypt hash (Python's hashlib), read from
``.streamlit/secrets.toml`` (``owner_password_hash = "..."``) or the environment variable
``RUGZICHT_OWNER_PASSWORD_HASH``. Create one with ``python -m dashboard.auth``. Without a hash
configured the owner area stays closed: there is no default password.

Wrong passwords are counted across sessions and server restarts by `dashboard.signin_guard`;
``python -m dashboard.auth unlock`` clears a lock-out, ``python -m dashboard.auth attempts``
lists the recent attempts.
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
# How long one sign-in lasts in a browser session (then the password is asked again).
SESSION_SECONDS = 8 * 3600


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


def session_token(stored: str) -> str:
    """What a signed-in session holds: a fingerprint of the configured hash (not the hash), so
    a changed password signs every session out."""
    return hashlib.sha256(b"rugzicht-owner-session\0" + stored.encode()).hexdigest()


def session_valid(entry, stored: str | None, now: float) -> bool:
    """Whether a session's sign-in record `entry` ({"token": ..., "at": ...}) is still good
    for the configured hash `stored` at `now`."""
    if not stored or not isinstance(entry, dict):
        return False
    token, at = entry.get("token"), entry.get("at")
    if not isinstance(token, str) or not isinstance(at, int | float):
        return False
    fresh = 0 <= now - at <= SESSION_SECONDS
    return fresh and hmac.compare_digest(token, session_token(stored))


def _attempts(limit: int = 50) -> int:
    from dashboard import signin_guard as guard

    store = guard.SigninGuard()
    rows = store.recent(limit, outcomes=(guard.FAILED, guard.REFUSED, guard.OK))
    for at, address, outcome, n in rows:
        times = f" x{n}" if n > 1 else ""
        print(f"{guard.format_time(at)}  {outcome + times:12} {address}")
    state = store.status(None)
    print(
        f"{len(rows)} attempt(s) shown from {store.path}; wrong passwords counted now: "
        f"{state.total_failures} in total"
        + (
            f"; closed for everyone until {guard.format_time(state.closed_until)}"
            if state.is_closed
            else ""
        )
    )
    return 0


def _unlock() -> int:
    from dashboard import signin_guard as guard

    store = guard.SigninGuard()
    store.unlock()
    print(f"sign-in unlocked: earlier wrong passwords no longer count ({store.path})")
    return 0


USAGE = """usage: python -m dashboard.auth [hash | unlock | attempts]
  hash      (default) ask for a password twice and print its hash for the secrets file
  unlock    clear a sign-in lock-out: earlier wrong passwords no longer count
  attempts  list the recent sign-in attempts (time, outcome, address)"""


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "hash"
    if command == "unlock":
        return _unlock()
    if command == "attempts":
        return _attempts()
    if command != "hash" or len(argv) > 1:
        print(USAGE, file=sys.stderr)
        return 2
    password = getpass.getpass("Owner password: ")
    if password != getpass.getpass("Again: "):
        print("the two passwords differ", file=sys.stderr)
        return 2
    print(f'{SECRET_KEY} = "{hash_password(password)}"')
    print(f"# put this line in .streamlit/secrets.toml, or set {ENV_VAR} to the quoted value")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
