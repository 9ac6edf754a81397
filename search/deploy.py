"""Render the nginx configuration in deploy/nginx/ for a set of replicas.

`python -m search nginx-config DIR --listen … --replica …` writes DIR/nginx.conf (a
whole configuration running nginx unprivileged with DIR as its prefix) and
DIR/aap-search.conf (the site alone, for Debian's /etc/nginx/sites-enabled/), and
makes the folders nginx writes to. Every value is checked before it goes into the
configuration, so none can add directives of its own.
"""

from __future__ import annotations

import os
import pwd
import re
from dataclasses import dataclass
from pathlib import Path

from search.errors import SearchError
from search.server import KEEPALIVE_SECONDS

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "deploy" / "nginx"
STATIC_ROOT = REPO / "web" / "static"
TEMP_FOLDERS = ("body", "proxy", "fastcgi", "uwsgi", "scgi")
ADDRESS = re.compile(r"(?P<host>[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(?P<port>\d{1,5})")
# A host name (labels of letters, digits and inner hyphens), an IPv4 address, or an IPv6 one in
# brackets: what a client can send as Host. Not "_" or a wildcard, which match no request
# here (the default server answers any other Host with 400) and no public URL.
LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
SERVER_NAME = re.compile(rf"{LABEL}(?:\.{LABEL})*|\[[0-9A-Fa-f:.]+\]")
RATE = re.compile(r"\d{1,6}r/[sm]")
SAFE_PATH = re.compile(r"[^\s;{}'\"\\$#]+")


@dataclass(frozen=True)
class NginxSite:
    """What the site configuration needs: where nginx listens and the replicas behind it."""

    listen: str
    server_name: str
    replicas: tuple[str, ...]
    static_root: Path = STATIC_ROOT
    csv_rate: str = "30r/m"
    csv_burst: int = 5
    request_rate: str = "10r/s"
    request_burst: int = 50
    connections_per_address: int = 8


def address(value: str, what: str) -> str:
    """Return host:port checked, or raise SearchError naming what it was for."""
    match = ADDRESS.fullmatch(value.strip())
    if not match or not 1 <= int(match["port"]) <= 65535:
        raise SearchError(f"{what} must be HOST:PORT (e.g. 127.0.0.1:8001), not {value[:60]!r}")
    return value.strip()


def safe_path(path: Path, what: str) -> str:
    """Return an absolute path that can stand in nginx's configuration unquoted."""
    text = str(path.resolve())
    if not SAFE_PATH.fullmatch(text):
        raise SearchError(f"{what} {text!r} has characters nginx's configuration cannot hold unquoted")
    return text


def fill(template: str, values: dict[str, str]) -> str:
    """Replace every @NAME@ in a template; fail on any left unfilled."""
    for name, value in values.items():
        template = template.replace(f"@{name}@", value)
    left = re.findall(r"@[A-Z_]+@", template)
    if left:
        raise SearchError(
            f"the nginx template has placeholders nothing fills: {', '.join(sorted(set(left)))}"
        )
    return template


def render_site(site: NginxSite, access_log: Path) -> str:
    """Return the site configuration (aap-search.conf) for these replicas."""
    if not site.replicas:
        raise SearchError("name at least one replica (--replica HOST:PORT)")
    check_server_name(site.server_name)
    if not RATE.fullmatch(site.csv_rate) or not 0 <= site.csv_burst <= 10_000:
        raise SearchError("the CSV rate must look like 30r/m or 2r/s, and the burst be 0–10000")
    if not RATE.fullmatch(site.request_rate) or not 0 <= site.request_burst <= 10_000:
        raise SearchError("the request rate must look like 10r/s or 600r/m, and the burst be 0–10000")
    if not 1 <= site.connections_per_address <= 10_000:
        raise SearchError("the connections per address must be 1–10000")
    if not (site.static_root / "style.css").is_file():
        raise SearchError(f"{site.static_root} is not the web service's static folder")
    servers = "\n".join(
        # Three failures (refused, or no answer within proxy_read_timeout) within 5 s mark a
        # replica down for 5 s: its requests go to the others meanwhile, then one is tried
        # on it again. A dead or hung replica fails many requests at once and is skipped
        # within a moment; one slow answer from the last live replica, while another is
        # down, does not leave nginx with none ("no live upstreams").
        f"    server {address(r, 'a replica')} max_fails=3 fail_timeout=5s;"
        for r in site.replicas
    )
    return fill(
        (TEMPLATES / "aap-search.conf.in").read_text(encoding="utf-8"),
        {
            "LISTEN": address(site.listen, "--listen"),
            "SERVER_NAME": site.server_name,
            "UPSTREAM_SERVERS": servers,
            "UPSTREAM_IDLE": f"{KEEPALIVE_SECONDS - 1}s",
            "STATIC_ROOT": safe_path(site.static_root, "the static folder"),
            "ACCESS_LOG": safe_path(access_log, "the access log"),
            "CSV_RATE": site.csv_rate,
            "CSV_BURST": str(site.csv_burst),
            "REQUEST_RATE": site.request_rate,
            "REQUEST_BURST": str(site.request_burst),
            "CONNECTIONS_PER_ADDRESS": str(site.connections_per_address),
        },
    )


def check_server_name(name: str) -> None:
    """Refuse a server name no request can be answered under (see SERVER_NAME)."""
    if name in ("_", "") or "*" in name or name.startswith("~"):
        raise SearchError(
            f"the server name must be the host name clients use (the public URL's), not {name[:60]!r}: "
            "nginx reads that as a catch-all or a pattern, and every request would get a 400"
        )
    if len(name) > 253 or not SERVER_NAME.fullmatch(name):
        raise SearchError(f"the server name must be a host name or an IP address, not {name[:60]!r}")


def render_main(prefix: Path) -> str:
    """Return a whole nginx.conf running as the current user with everything under prefix."""
    # As root, nginx's workers would switch to "nobody"; keep them the user who started it.
    user = (
        f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else "# (not root: no user line)"
    )
    return fill(
        (TEMPLATES / "nginx.conf.in").read_text(encoding="utf-8"),
        {"PREFIX": safe_path(prefix, "the nginx folder"), "USER": user},
    )


def write_nginx_config(prefix: Path, site: NginxSite) -> Path:
    """Write nginx.conf and aap-search.conf under prefix with the folders nginx needs; return nginx.conf."""
    prefix = prefix.resolve()
    if prefix.exists() and not prefix.is_dir():
        raise SearchError(f"{prefix} is not a folder")
    site_text = render_site(site, prefix / "logs" / "access.log")
    main_text = render_main(prefix)
    for folder in ("logs", *(f"tmp/{name}" for name in TEMP_FOLDERS)):
        (prefix / folder).mkdir(parents=True, exist_ok=True)
    (prefix / "aap-search.conf").write_text(site_text, encoding="utf-8")
    (prefix / "nginx.conf").write_text(main_text, encoding="utf-8")
    return prefix / "nginx.conf"


def nginx_command(nginx: str, prefix: Path) -> list[str]:
    """Return the command that runs nginx (in the foreground) on a written configuration."""
    prefix = prefix.resolve()
    return [
        nginx,
        "-p",
        str(prefix),
        "-c",
        str(prefix / "nginx.conf"),
        "-e",
        str(prefix / "logs" / "error.log"),
    ]
