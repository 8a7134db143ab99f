"""Which ruleset applies: rules PUT for a project through the control endpoint win,
else the rules file given at start (reloaded when it changes). With no rules at all,
non-admin requests are denied (see emulator/README.md for why)."""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from emulator.firestore_rules import load_ruleset
from emulator.firestore_rules.api import Ruleset, RulesLoadError

log = logging.getLogger(__name__)
POLL_SECONDS = 0.25


def compile_rules(source: str, file_name: str = "firestore.rules") -> Ruleset:
    """Loads a rules source with the rules engine; RulesLoadError when it cannot."""
    try:
        return load_ruleset(source, file_name)
    except RulesLoadError:
        raise
    except Exception as error:  # a crash in the engine is still a bad ruleset, not a 500
        raise RulesLoadError(f"{type(error).__name__}: {error}") from error


class RulesRegistry:
    """The current ruleset per project, plus a watcher for the rules file."""

    def __init__(self, rules_path: str | None = None) -> None:
        self.rules_path = rules_path
        self._file_rules: Ruleset | None = None
        self._by_project: dict[str, Ruleset] = {}
        self._lock = threading.Lock()
        self._mtime: float | None = None
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    def ruleset_for(self, project: str) -> Ruleset | None:
        with self._lock:
            return self._by_project.get(project, self._file_rules)

    def coverages(self, content: str) -> list[Any]:
        """The coverage of every loaded ruleset (file and per project) of this source."""
        with self._lock:
            rulesets = [self._file_rules, *self._by_project.values()]
        found = [getattr(ruleset, "coverage", None) for ruleset in rulesets]
        return [c for c in found if c is not None and c.content == content]

    def set_project_rules(self, project: str, source: str) -> None:
        """Replaces a project's rules; raises RulesLoadError and keeps the old ones."""
        ruleset = compile_rules(source)
        with self._lock:
            self._by_project[project] = ruleset

    def start_watching(self) -> None:
        """Loads the rules file now and reloads it whenever its mtime changes."""
        if not self.rules_path:
            log.warning("No Firestore rules file: every non-admin request is denied.")
            return
        self._reload_if_changed()
        self._watcher = threading.Thread(target=self._watch, name="rules-watch", daemon=True)
        self._watcher.start()

    def stop(self) -> None:
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join(timeout=2)

    def _watch(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self._reload_if_changed()

    def _reload_if_changed(self) -> None:
        assert self.rules_path is not None
        try:
            mtime = os.stat(self.rules_path).st_mtime_ns
        except OSError as error:
            if self._mtime != -1:
                log.error("Cannot read Firestore rules %s: %s", self.rules_path, error)
                self._mtime = -1
            return
        if mtime == self._mtime:
            return
        self._mtime = mtime
        self._load_file()

    def _load_file(self) -> None:
        assert self.rules_path is not None
        try:
            with open(self.rules_path, encoding="utf-8") as handle:
                ruleset = compile_rules(handle.read(), os.path.basename(self.rules_path))
        except (OSError, RulesLoadError) as error:
            log.error(
                "FIRESTORE RULES NOT LOADED from %s (%s); keeping the previous rules%s.",
                self.rules_path,
                error,
                "" if self._file_rules else " (none: deny all)",
            )
            return
        with self._lock:
            self._file_rules = ruleset
        log.info("Loaded Firestore rules from %s", self.rules_path)
