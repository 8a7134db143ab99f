"""Rules coverage shared by both rules engines: which expression was evaluated how often,
and to what (see README.md)."""

from emulator.coverage.files import unreached, write_report
from emulator.coverage.recorder import Coverage, SourcePosition, merged, typed
from emulator.coverage.report import html_report, json_report

__all__ = [
    "Coverage",
    "SourcePosition",
    "html_report",
    "json_report",
    "merged",
    "typed",
    "unreached",
    "write_report",
]
