"""The build reports its progress: documents parsed, entries indexed, segments written."""

from __future__ import annotations

from pathlib import Path

from search.index.build import build_index, write_whoosh
from search.progress import TerminalProgress, terminal_progress

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


class Recorder:
    """A Progress that keeps every report."""

    def __init__(self):
        self.reports: list[tuple[str, int, int | None]] = []

    def __call__(self, stage, done, total):
        self.reports.append((stage, done, total))

    def last(self) -> dict[str, tuple[int, int | None]]:
        return {stage: (done, total) for stage, done, total in self.reports}


def test_build_reports_every_stage_to_its_end(tmp_path):
    recorder = Recorder()
    meta = build_index(CORPUS, tmp_path / "index", progress=recorder)
    assert list(dict.fromkeys(stage for stage, _, _ in recorder.reports)) == [
        "parse documents",
        "index entries",
        "write segments",
    ]
    assert recorder.last() == {
        "parse documents": (1, 1),
        "index entries": (meta["entries"], meta["entries"]),
        "write segments": (1, 1),
    }
    indexed = [done for stage, done, _ in recorder.reports if stage == "index entries"]
    assert indexed == sorted(indexed) and len(indexed) > 2


def test_parallel_writers_report_through_a_shared_count(tmp_path, catalogue):
    recorder = Recorder()
    write_whoosh(tmp_path / "whoosh", catalogue, processes=2, progress=recorder)
    total = len(catalogue.entries)
    assert recorder.last() == {"index entries": (total, total), "write segments": (2, 2)}


def test_no_bars_off_a_terminal_or_when_quiet(capsys):
    for progress in (terminal_progress(), terminal_progress(quiet=True)):
        progress("index entries", 5, 10)
        progress.close()
    assert capsys.readouterr() == ("", "")
    assert not TerminalProgress(False).enabled
