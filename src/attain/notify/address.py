"""The SSRF guard: which addresses a webhook or Alertmanager URL may reach.

A URL in an agreement's `notify:` is written by whoever may edit the agreement, and attain sends
to it from inside the provider's network, so it must not become a way to reach what only that
network can: cloud metadata services, link-local and internal addresses. Every URL is checked
just before each send, and the connection then goes to exactly the address that was checked (no
second DNS lookup that could answer differently):

- only `http` and `https`;
- the host is resolved, and *every* address it resolves to must pass;
- never: link-local (169.254.0.0/16, fe80::/10), cloud metadata (169.254.169.254, fd00:ec2::254,
  the names `metadata.google.internal` and `metadata.goog`), multicast, unspecified (0.0.0.0, ::),
  broadcast; not even when allowed;
- private, loopback, shared (100.64.0.0/10) and other non-global addresses only when the setting
  `ATTAIN_NOTIFY_ALLOW` lists the URL's host name, the address, or a network (CIDR) holding it.

A refusal is an `AddressRefused` (permanent: dead-lettered, not retried); a name that does not
resolve is a transient `SendFailed` (DNS may come back).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from attain.notify.failure import AddressRefused, SendFailed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

NEVER: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = (
    ipaddress.ip_network("169.254.0.0/16"),
    ipaddress.ip_network("fe80::/10"),
    ipaddress.ip_network("fd00:ec2::254/128"),
    ipaddress.ip_network("224.0.0.0/4"),
    ipaddress.ip_network("ff00::/8"),
    ipaddress.ip_network("0.0.0.0/8"),
    ipaddress.ip_network("::/128"),
    ipaddress.ip_network("255.255.255.255/32"),
)
"""Networks never reached, allowed or not: link-local (cloud metadata included), multicast, unspecified."""

METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata.goog"})
"""Host names of cloud metadata services, refused before they are resolved."""


@dataclass(frozen=True)
class Destination:
    """Where to connect for a URL that passed the guard.

    Attributes:
        url: The URL with its host replaced by the checked address.
        host: The Host header: the URL's own host (and port when given).
        server_name: The name for TLS (SNI and certificate check) on https, else None.
        address: The checked address.
    """

    url: str
    host: str
    server_name: str | None
    address: IPAddress


def check_url(url: str, allow: Sequence[str], port_default: int | None = None) -> Destination:
    """The destination `url` may be sent to, after resolving its host.

    Args:
        url: The receiver's URL.
        allow: The allow-list (`NotifySettings.allow`): host names, addresses and CIDR networks.
        port_default: The port when the URL names none (default: 80 for http, 443 for https).

    Raises:
        AddressRefused: the URL is not http(s), has no host, or reaches a refused address.
        SendFailed: the host name does not resolve (transient).
    """
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise AddressRefused(f"{safe_url(url)}: only http:// and https:// URLs with a host are sent to")
    host = parts.hostname.lower().rstrip(".")
    if host in METADATA_HOSTS:
        raise AddressRefused(f"{safe_url(url)}: {host} is a cloud metadata service; never sent to")
    try:
        port = parts.port or port_default or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise AddressRefused(f"{safe_url(url)}: {error}") from error
    addresses = resolve(host, port)
    for address in addresses:
        check_address(address, host, allow, safe_url(url))
    address = addresses[0]
    literal = f"[{address}]" if address.version == 6 else str(address)
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    pinned = parts._replace(netloc=netloc).geturl()
    host_header = parts.netloc.rsplit("@", 1)[-1]
    return Destination(pinned, host_header, host if parts.scheme == "https" else None, address)


def check_source_url(url: str, allow: Sequence[str]) -> IPAddress:
    """The address to connect to for a measurement source's URL (`attain fetch --url`), if it may be reached.

    A source is usually inside the provider's network, so private addresses pass; link-local,
    metadata, multicast and unspecified addresses never do, and loopback only when `allow` names
    the host, the address or a network holding it. Checked on every request the client sends;
    the name is resolved once, and every address it resolves to must pass.

    Raises:
        AddressRefused: the URL is not http(s), has no host, or reaches a refused address.
        SendFailed: the host name does not resolve (transient).
    """
    parts = urlsplit(url)
    shown = safe_url(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise AddressRefused(f"{shown}: only http:// and https:// URLs with a host are fetched from")
    host = parts.hostname.lower().rstrip(".")
    if host in METADATA_HOSTS:
        raise AddressRefused(f"{shown}: {host} is a cloud metadata service; never fetched from")
    addresses = resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
    for address in addresses:
        named = host if host == str(address) else f"{host} resolves to {address}, which"
        if any(address in network for network in NEVER if network.version == address.version):
            raise AddressRefused(f"{shown}: {named} is a link-local, metadata, multicast or unspecified address")
        if address.is_loopback and not allowed(address, host, allow):
            raise AddressRefused(
                f"{shown}: {named} is a loopback address; pass --allow-address {host} to fetch from it"
            )
    return addresses[0]


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (an address literal is itself), in the resolver's order.

    Raises:
        SendFailed: the name does not resolve (transient).
    """
    try:
        return [plain(ipaddress.ip_address(host.split("%", 1)[0]))]
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise SendFailed(f"{host}: cannot resolve the name ({error})", permanent=False) from error
    addresses: list[IPAddress] = []
    for *_, sockaddr in found:
        address = plain(ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]))
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise SendFailed(f"{host}: the name resolves to no address", permanent=False)
    return addresses


def check_address(address: IPAddress, host: str, allow: Sequence[str], url: str) -> None:
    """Refuse `address` (reached through `host`) unless the rules above let it be sent to.

    Raises:
        AddressRefused: the address is never reached, or is not global and not allowed.
    """
    named = host if host == str(address) else f"{host} resolves to {address}, which"
    if any(address in network for network in NEVER if network.version == address.version):
        raise AddressRefused(
            f"{url}: {named} is a link-local, metadata, multicast or unspecified address; never sent to"
        )
    if address.is_global or allowed(address, host, allow):
        return
    entries = str(address) if host == str(address) else f"{host} or {address}"
    raise AddressRefused(
        f"{url}: {named} is a private or loopback address; add {entries} to ATTAIN_NOTIFY_ALLOW to send to it"
    )


def allowed(address: IPAddress, host: str, allow: Sequence[str]) -> bool:
    """Whether the allow-list names `host`, or an address or network that holds `address`."""
    for entry in allow:
        if entry.lower().rstrip(".") == host:
            return True
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            continue
        if network.version == address.version and address in network:
            return True
    return False


def plain(address: IPAddress) -> IPAddress:
    """An IPv4-mapped IPv6 address (`::ffff:169.254.169.254`) as the IPv4 address it maps."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def safe_url(url: str) -> str:
    """The URL without its user and password and query, fit for an error message and a log."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return parts._replace(netloc=netloc, query="", fragment="").geturl()
