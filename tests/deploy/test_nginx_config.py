"""`python -m search nginx-config`: the deployment's nginx configuration, rendered and checked."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from search.bench.proxy import find_nginx
from search.deploy import nginx_command

REPO = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "search", "nginx-config", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )


def test_the_rendered_configuration_is_whole_and_nginx_accepts_it(tmp_path):
    folder = tmp_path / "nginx"
    done = cli(str(folder), "--listen", "127.0.0.1:18080", "--server-name", "search.example.org",
               "--replica", "127.0.0.1:18001", "--replica", "127.0.0.1:18002")  # fmt: skip
    assert done.returncode == 0, done.stderr
    site = (folder / "aap-search.conf").read_text()
    main = (folder / "nginx.conf").read_text()
    assert not re.search(r"@[A-Z_]+@", site + main)  # every placeholder filled
    assert "server 127.0.0.1:18001 max_fails=3 fail_timeout=5s" in site and "server 127.0.0.1:18002" in site
    assert "server_name search.example.org;" in site and f"alias {REPO / 'web' / 'static'}/;" in site
    assert f"pid {folder.resolve()}/nginx.pid;" in main and "daemon off;" in main
    assert "worker_processes auto;" in main and "worker_connections 8192;" in main
    assert "limit_conn aap_search_addresses 8;" in site and "proxy_read_timeout 3s;" in site
    # Searches and pages are limited per address as well as CSV downloads; static files are not.
    limited = re.findall(
        r"location ([^{]+)\{[^}]*?limit_req zone=aap_search_requests burst=50 nodelay;", site
    )
    assert [place.strip() for place in limited] == ["/", "/api/", "= /api/search.csv"]
    assert all((folder / "tmp" / name).is_dir() for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"))
    nginx = find_nginx()
    if nginx is None:
        pytest.skip("nginx is not installed: the rendering is checked, nginx -t is not")
    check = subprocess.run([*nginx_command(nginx, folder), "-t"], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["--replica", "127.0.0.1"], "a replica must be HOST:PORT"),
        (["--replica", "127.0.0.1:99999"], "a replica must be HOST:PORT"),
        (["--replica", "127.0.0.1:8001;include /etc/passwd"], "a replica must be HOST:PORT"),
        (["--replica", "127.0.0.1:8001", "--listen", "8080"], "--listen must be HOST:PORT"),
        (["--replica", "127.0.0.1:8001", "--server-name", "a; return 200"], "the server name must be"),
        (["--replica", "127.0.0.1:8001", "--server-name", "_"], "nginx reads that as a catch-all"),
        (
            ["--replica", "127.0.0.1:8001", "--server-name", "*.example.org"],
            "nginx reads that as a catch-all",
        ),
        (["--replica", "127.0.0.1:8001", "--server-name", "~^search"], "nginx reads that as a catch-all"),
        (["--replica", "127.0.0.1:8001", "--server-name", "search..example"], "a host name or an IP address"),
        (["--replica", "127.0.0.1:8001", "--server-name", "search_example"], "a host name or an IP address"),
        (["--replica", "127.0.0.1:8001", "--request-rate", "fast"], "the request rate must look like"),
        (["--replica", "127.0.0.1:8001", "--connections-per-address", "0"], "connections per address"),
        (["--replica", "127.0.0.1:8001", "--csv-rate", "lots"], "the CSV rate must look like"),
        ([], "the following arguments are required: --replica"),
    ],
)
def test_bad_values_give_a_message_and_a_non_zero_exit(tmp_path, args, message):
    done = cli(str(tmp_path / "nginx"), *args)
    assert done.returncode != 0
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "nginx" / "nginx.conf").exists()


@pytest.mark.parametrize("name", ["search.example.org", "localhost", "127.0.0.1", "[::1]", "a-b.example"])
def test_names_a_client_can_send_as_its_host_are_accepted(tmp_path, name):
    done = cli(str(tmp_path / "nginx"), "--replica", "127.0.0.1:8001", "--server-name", name)
    assert done.returncode == 0, done.stderr
    assert f"server_name {name};" in (tmp_path / "nginx" / "aap-search.conf").read_text()


def test_a_folder_nginx_cannot_hold_unquoted_is_refused(tmp_path):
    done = cli(str(tmp_path / "my nginx"), "--replica", "127.0.0.1:8001")
    assert done.returncode == 1 and "cannot hold unquoted" in done.stderr


def test_nginx_lets_an_idle_replica_connection_go_before_the_replica_does(tmp_path):
    """A connection the replica has closed, taken from nginx's pool for the next request,
    is reset: with the other replica down at that moment, nginx has no live upstream left."""
    from search.server import KEEPALIVE_SECONDS

    folder = tmp_path / "nginx"
    assert cli(str(folder), "--replica", "127.0.0.1:18001").returncode == 0
    upstream = re.search(r"upstream aap_search \{([^}]*)\}", (folder / "aap-search.conf").read_text())[1]
    idle = re.search(r"keepalive_timeout (\d+)s;", upstream)
    assert idle and int(idle[1]) < KEEPALIVE_SECONDS
