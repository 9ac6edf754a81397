"""Where a request's time goes: py-spy's flame graph of the server's workers under load.

    python -m search.bench.profile OUT.svg [--seconds 20] [--concurrency 8] [--index DIR]

Serves the index with the service's layout (`python -m search serve`, 2 workers), warms
it, then samples every worker with py-spy (a sampling profiler that attaches to running
processes: no change to the code) while the distinct-query workload loads it. Only
threads holding the GIL are sampled (`--gil`): the picture is where Python spends the
CPU, not where threads wait. The SVG is a flame graph: a frame's width is its share of
the samples. `OUT.txt` writes the collapsed stacks instead; `--code DIR` serves another
checkout of the code (the same picture before a change).
"""

from __future__ import annotations

import argparse
import math
import shutil
import subprocess
import sys
from pathlib import Path

from search.bench.entry import run
from search.bench.limit import PATHS_PER_SECOND
from search.bench.live import LiveServer, index_to_serve
from search.bench.load import run_load
from search.bench.workload import distinct_paths

RATE = 250  # samples a second


def py_spy() -> str:
    """Return the py-spy executable beside this Python, or on the path."""
    beside = Path(sys.executable).parent / "py-spy"
    found = str(beside) if beside.exists() else shutil.which("py-spy")
    if not found:
        raise SystemExit("py-spy is not installed: pip install py-spy")
    return found


def profile_server(
    corpus: Path, index: Path, out: Path, seconds: float, concurrency: int, code: Path | None = None
) -> dict:
    """Record a flame graph of the server's workers while the workload loads them.

    With `code`, the server runs another checkout's code (which builds its own index
    when the one given is not its own).
    """
    # Enough that no path is sent twice while profiling (see `search.bench.limit`).
    paths = distinct_paths(1400 + math.ceil(seconds * PATHS_PER_SECOND[8]))
    server = LiveServer(corpus, index, workers=2, lifetime=seconds + 900, code=code).start(600)
    try:
        run_load(server.port, paths[:1400], 4, 1400, 60)
        shape = "raw" if out.suffix == ".txt" else "flamegraph"  # .txt: collapsed stacks, to read
        command = [
            py_spy(), "record", "--pid", str(server.process.pid), "--subprocesses", "--nonblocking", "--gil",
            "--rate", str(RATE), "--duration", str(int(seconds)), "--format", shape, "--output", str(out),
        ]  # fmt: skip
        recorder = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        result = run_load(server.port, paths[1400:], concurrency, 10**9, seconds, once=True)
        _, errors = recorder.communicate(timeout=seconds + 60)
        if recorder.returncode:
            raise SystemExit(f"py-spy failed: {errors.strip()}")
    finally:
        server.stop()
    return result.summary()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m search.bench.profile", description=__doc__.splitlines()[0]
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--index", type=Path, help="an index to serve (default: one built now)")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--code", type=Path, help="serve another checkout of the code (e.g. before a change)")
    args = parser.parse_args(argv)
    code = args.code.resolve() if args.code else None
    with index_to_serve(args.corpus, args.index) as index:
        summary = profile_server(args.corpus, index, args.out, args.seconds, args.concurrency, code)
    print(
        f"{summary['requests']} requests, {summary['rps']} req/s, {summary['errors']} errors; wrote {args.out}"
    )
    return 0


if __name__ == "__main__":
    run(main)
