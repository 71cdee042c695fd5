"""X-Forwarded-For is believed only from configured proxies (wpDiscuz trusted it from anyone)."""

from __future__ import annotations

from django.test import RequestFactory, override_settings

from masthead.core.clientip import client_ip, hash_ip, network_of


def _request(remote: str, forwarded: str = "") -> object:
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_forwarded_header_is_ignored_without_trusted_proxies() -> None:
    with override_settings(TRUSTED_PROXIES=[]):
        assert client_ip(_request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"  # type: ignore[arg-type]


def test_forwarded_header_is_read_from_a_trusted_proxy_network() -> None:
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/8"]):
        assert client_ip(_request("10.1.2.3", "198.51.100.7")) == "198.51.100.7"  # type: ignore[arg-type]
        # A client cannot prepend a fake hop: the right-most untrusted address wins.
        assert client_ip(_request("10.1.2.3", "1.2.3.4, 198.51.100.7, 10.9.9.9")) == "198.51.100.7"  # type: ignore[arg-type]
        assert client_ip(_request("10.1.2.3", "not-an-ip")) == "10.1.2.3"  # type: ignore[arg-type]


def test_ip_hashes_are_stable_and_do_not_reveal_the_address() -> None:
    assert hash_ip("198.51.100.7") == hash_ip("198.51.100.7")
    assert hash_ip("198.51.100.7") != hash_ip("198.51.100.8")
    hashed = hash_ip("198.51.100.7")
    # A keyed digest, not the address: 32 hex digits (a digit run such as "198" may turn up by chance,
    # so the test looks for the address's form, not its first octet), and salted with this site's secret.
    assert len(hashed) == 32 and set(hashed) <= set("0123456789abcdef")
    assert "198.51" not in hashed
    with override_settings(SECRET_KEY="another site's secret key, long enough to be a real one"):
        assert hash_ip("198.51.100.7") != hashed
    assert network_of("198.51.100.7") == "198.51.100.0/24"


def _scheme_seen_by_the_stack(remote: str) -> str:
    from django.http import HttpResponse

    from masthead.core.fastpath import FastPathMiddleware

    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_PROTO="https")
    response = FastPathMiddleware(lambda r: HttpResponse(r.scheme))(request)
    return response.content.decode()  # type: ignore[union-attr]


def test_forwarded_proto_is_believed_only_from_a_trusted_proxy() -> None:
    """With MASTHEAD_HTTPS=1 Django reads X-Forwarded-Proto; from anyone but a trusted proxy it is
    dropped first, so a client cannot claim https (HSTS, secure redirects) for itself."""
    proxy_header = ("HTTP_X_FORWARDED_PROTO", "https")
    with override_settings(SECURE_PROXY_SSL_HEADER=proxy_header, TRUSTED_PROXIES=[]):
        assert _scheme_seen_by_the_stack("127.0.0.1") == "http"
    with override_settings(SECURE_PROXY_SSL_HEADER=proxy_header, TRUSTED_PROXIES=["127.0.0.1"]):
        assert _scheme_seen_by_the_stack("127.0.0.1") == "https"
        assert _scheme_seen_by_the_stack("203.0.113.9") == "http"
