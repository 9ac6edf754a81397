"""The public base URL of the service, and the Host names it answers to.

Absolute URLs (permalinks in pages and CSV rows) are built from a configured base
URL, never from a request's Host header, which the client chooses; requests naming
any other host are refused. `python -m search serve` defaults the base URL from
--host and --port; behind a proxy it is the proxy's address (`AAP_PUBLIC_URL`).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from search.errors import SearchError

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
ANY_ADDRESS = ("0.0.0.0", "::", "")


def normalise_public_url(value: str) -> str:
    """Return a base URL as `scheme://host[:port][/path]` without a trailing slash, or raise SearchError."""
    text = value.strip()
    try:
        parts = urlsplit(text)
        port = parts.port  # raises ValueError when out of range or not a number
    except ValueError:
        parts, port = None, None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username
        or parts.password
        or parts.query
        or parts.fragment
        or any(c.isspace() for c in text)
    ):
        raise SearchError(f"the public URL must look like https://search.example.org, not {value[:80]!r}")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    netloc = host if port is None else f"{host}:{port}"
    return f"{parts.scheme}://{netloc}{parts.path.rstrip('/')}"


def default_public_url(host: str, port: int) -> str:
    """Return the base URL a server bound to host:port is reached at, when none is configured."""
    if host in ANY_ADDRESS:
        host = "localhost"  # any address: say where it surely answers; configure the real one
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def trusted_hosts(public_url: str, extra: str = "") -> list[str]:
    """Return the Host names to answer to: the public URL's, any extra (comma-separated) ones.

    A loopback public URL trusts every loopback name, so that http://localhost:8000/
    and http://127.0.0.1:8000/ both work on a developer's machine.
    """
    host = urlsplit(public_url).hostname or ""
    hosts = [host, *(h.strip() for h in extra.split(",") if h.strip())]
    if is_loopback(host):
        hosts += LOOPBACK_NAMES
    return list(dict.fromkeys(hosts))


def is_loopback(host: str) -> bool:
    """Tell whether a host name or address is this machine's loopback."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
