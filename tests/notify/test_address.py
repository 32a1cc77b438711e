"""The SSRF guard: never link-local or metadata, private and loopback only when allowed, and pinned."""

from __future__ import annotations

import ipaddress
import re

import pytest

from attain.notify import AddressRefused, SendFailed
from attain.notify.address import check_url

NEVER = "a link-local, metadata, multicast or unspecified address; never sent to"


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://169.254.10.1/",
        "http://[fe80::1]/hook",
        "http://[fd00:ec2::254]/",
        "http://[::ffff:169.254.169.254]/",
        "http://224.0.0.1/",
        "http://[ff02::1]/",
        "http://0.0.0.0:9093/",
        "http://[::]/",
        "http://255.255.255.255/",
    ],
)
def test_link_local_metadata_multicast_and_unspecified_are_refused_even_when_allowed(url: str) -> None:
    """No allow-list entry opens these, not even 0.0.0.0/0 and ::/0."""
    with pytest.raises(AddressRefused, match=NEVER):
        check_url(url, ("0.0.0.0/0", "::/0", "169.254.169.254"))


@pytest.mark.parametrize("host", ["metadata.google.internal", "METADATA.goog."])
def test_metadata_names_are_refused_before_they_are_resolved(host: str) -> None:
    """The metadata host names are refused by name, allowed or not."""
    with pytest.raises(AddressRefused, match="is a cloud metadata service; never sent to"):
        check_url(f"http://{host}/computeMetadata/v1/", (host.lower(),))


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://127.0.0.1:9093/", "127.0.0.1"),
        ("http://10.1.2.3/", "10.1.2.3"),
        ("http://192.168.0.7/", "192.168.0.7"),
        ("http://100.64.0.1/", "100.64.0.1"),
        ("http://[::1]:8080/", "::1"),
        ("http://[fd12::1]/", "fd12::1"),
    ],
)
def test_private_and_loopback_addresses_are_refused_unless_allowed(url: str, address: str) -> None:
    """Not global and not on the allow-list: refused, with the setting that would allow it."""
    with pytest.raises(AddressRefused) as raised:
        check_url(url, ("10.9.0.0/16", "hooks.internal"))
    assert str(raised.value).endswith(
        f": {address} is a private or loopback address; add {address} to ATTAIN_NOTIFY_ALLOW to send to it"
    )
    assert check_url(url, (address,)).address == ipaddress.ip_address(address)


def test_a_network_on_the_allow_list_allows_every_address_in_it() -> None:
    """10.0.0.0/8 allows 10.1.2.3 and not 192.168.0.7."""
    assert check_url("http://10.1.2.3/x", ("10.0.0.0/8",)).url == "http://10.1.2.3/x"
    with pytest.raises(AddressRefused):
        check_url("http://192.168.0.7/x", ("10.0.0.0/8",))


def test_a_public_address_needs_no_allow_list_and_keeps_path_and_query() -> None:
    """A global address is sent to as it is; on https the name for TLS is the URL's host."""
    found = check_url("https://93.184.215.14:8443/a/b?c=d", ())
    assert (found.url, found.host, found.server_name) == (
        "https://93.184.215.14:8443/a/b?c=d",
        "93.184.215.14:8443",
        "93.184.215.14",
    )


def test_a_name_is_resolved_once_and_the_connection_pinned_to_the_checked_address() -> None:
    """`localhost` allowed by name: the URL is rewritten to its loopback address, Host and TLS name keep the name."""
    found = check_url("https://user:pw@localhost:9443/hook?x=1", ("localhost",))
    assert found.address.is_loopback
    literal = f"[{found.address}]" if found.address.version == 6 else str(found.address)
    assert found.url == f"https://{literal}:9443/hook?x=1"
    assert (found.host, found.server_name) == ("localhost:9443", "localhost")


def test_a_name_resolving_to_loopback_is_refused_by_its_address_without_leaking_the_password() -> None:
    """`localhost` not allowed: refused; the message shows the URL without user and password."""
    with pytest.raises(AddressRefused) as raised:
        check_url("http://user:pw@localhost:9443/hook?token=t", ())
    assert re.fullmatch(
        r"http://localhost:9443/hook: localhost resolves to (127\.0\.0\.1|::1), which is a private or loopback"
        r" address; add localhost or \1 to ATTAIN_NOTIFY_ALLOW to send to it",
        str(raised.value),
    )
    assert "pw" not in str(raised.value)
    assert "token" not in str(raised.value)


@pytest.mark.parametrize("url", ["ftp://example.com/", "file:///etc/passwd", "http:///nohost", "gopher://x/"])
def test_only_http_and_https_urls_with_a_host_are_sent_to(url: str) -> None:
    """Other schemes and host-less URLs are refused."""
    with pytest.raises(AddressRefused, match=r"only http:// and https:// URLs with a host are sent to"):
        check_url(url, ())


def test_a_name_that_does_not_resolve_is_a_transient_failure() -> None:
    """DNS may come back: a name that does not resolve is retried, not dead-lettered."""
    with pytest.raises(SendFailed) as raised:
        check_url("http://no-such-host.invalid/", ())
    assert not raised.value.permanent
    assert str(raised.value).startswith("no-such-host.invalid: cannot resolve the name")
