"""The owner's password hash: round trip, refusals, and where it is read from."""

from dashboard import auth


def test_hash_round_trip_and_wrong_password():
    stored = auth.hash_password("correct horse battery staple")
    assert stored.startswith("scrypt$")
    assert auth.verify_password("correct horse battery staple", stored)
    assert not auth.verify_password("correct horse battery stapler", stored)
    assert stored != auth.hash_password("correct horse battery staple")  # fresh salt each time


def test_malformed_or_foreign_hashes_never_verify():
    for stored in ("", "plain", "md5$abc", "scrypt$x$8$1$AAAA$AAAA", "scrypt$16384$8$1$%%%$AAAA"):
        assert not auth.verify_password("anything", stored)


def test_configured_hash_prefers_secrets_then_environment(monkeypatch):
    monkeypatch.delenv(auth.ENV_VAR, raising=False)
    assert auth.configured_hash(None) is None
    monkeypatch.setenv(auth.ENV_VAR, "scrypt$from$env")
    assert auth.configured_hash(None) == "scrypt$from$env"
    assert auth.configured_hash({auth.SECRET_KEY: "scrypt$from$secrets"}) == "scrypt$from$secrets"
    assert auth.configured_hash({}) == "scrypt$from$env"


def test_empty_password_is_refused():
    try:
        auth.hash_password("")
    except ValueError as error:
        assert "empty" in str(error)
    else:
        raise AssertionError("an empty password was hashed")


def test_a_session_sign_in_is_bound_to_the_configured_hash_and_expires():
    stored = auth.hash_password("correct horse battery staple")
    now = 1_800_000_000.0
    entry = {"token": auth.session_token(stored), "at": now}
    assert auth.session_valid(entry, stored, now + 60)
    assert stored not in entry["token"]  # the session holds a fingerprint, not the hash
    assert not auth.session_valid(entry, stored, now + auth.SESSION_SECONDS + 1)
    assert not auth.session_valid(entry, stored, now - 60)  # from the future
    assert not auth.session_valid(entry, auth.hash_password("a new password"), now)
    assert not auth.session_valid(entry, None, now)  # no password configured any more
    for forged in (True, "yes", {"token": "0" * 64, "at": now}, {"token": entry["token"]}):
        assert not auth.session_valid(forged, stored, now)


def test_the_command_line_refuses_unknown_commands(capsys):
    assert auth.main(["frobnicate"]) == 2
    assert "unlock" in capsys.readouterr().err


def test_the_attempts_command_shows_how_many_attempts_a_row_counts(tmp_path, monkeypatch, capsys):
    from dashboard import signin_guard as guard

    monkeypatch.setenv(guard.ENV_PATH, str(tmp_path / "signin.sqlite"))
    store = guard.SigninGuard(policy=guard.Policy(free_per_address=1, free_total=1))
    store.begin("198.51.100.7")  # a wrong password: closed from now on
    for _ in range(guard.REFUSED_ROWS_PER_ADDRESS + 6):
        store.begin("198.51.100.7")
    assert auth.main(["attempts"]) == 0
    out = capsys.readouterr().out
    assert "refused x7" in out and "failed" in out and "198.51.100.7" in out
    assert "1 in total" in out
