"""The Listen fan-out of one database: every commit is judged once per distinct query
(however many listeners share it) and only against the documents it changed, and each
Listen stream gets one batch per commit holding what changed for each of its targets.

A query without offset / limit keeps its results up to date from the changed documents
alone (``QueryRunner.admits``). A query with offset or limit re-runs, once for all its
listeners, when a change can move its window (a changed document was in it, or fits the
query before or after the write). Runs under the store lock (``Store.on_commit``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from emulator.firestore.errors import FirestoreError
from emulator.firestore.query import QueryRunner
from emulator.firestore.store import Store, StoredDoc
from emulator.firestore.values import Timestamp


@dataclass(frozen=True)
class Entry:
    """One document's change for a target: its new version in the results, or ``doc``
    None when it left them (``exists``: it still exists, it only stopped matching)."""

    doc: StoredDoc | None
    exists: bool = True


Delta = dict[str, Entry]


@dataclass(eq=False)
class Target:
    """One Listen target of one stream. ``seen`` belongs to the stream's own thread."""

    id: int
    sink: Sink
    group: QueryGroup | None = None  # a query target
    paths: list[str] = field(default_factory=list)  # a documents target
    seen: dict[str, Timestamp] = field(default_factory=dict)  # path -> update time sent

    @property
    def runner(self) -> QueryRunner | None:
        return self.group.runner if self.group is not None else None


# What a stream receives per commit: the commit time and each affected target's delta.
Batch = tuple[Timestamp, list[tuple[Target, Delta]]]
Sink = Callable[[Batch], None]


class QueryGroup:
    """The listeners of one query and its current results."""

    def __init__(self, key: tuple[str, bytes], runner: QueryRunner, store: Store) -> None:
        self.key = key
        self.runner = runner
        self.members: set[Target] = set()
        self.results = {hit.path: hit.doc for hit in runner.run(store)}

    def update(self, store: Store, changes: dict[str, tuple[Any, Any]]) -> Delta:
        """Brings the results up to date with a commit's in-scope changes."""
        if self.runner.is_limited:
            return self._rerun_if_moved(store, changes)
        delta: Delta = {}
        for path, (_before, after) in changes.items():
            if after is not None and self.runner.admits(path, after):
                self.results[path] = after
                delta[path] = Entry(after)
            elif self.results.pop(path, None) is not None:
                delta[path] = Entry(None, exists=after is not None)
        return delta

    def _rerun_if_moved(self, store: Store, changes: dict[str, tuple[Any, Any]]) -> Delta:
        def may_move(path: str, before: StoredDoc | None, after: StoredDoc | None) -> bool:
            return (
                path in self.results
                or (before is not None and self.runner.admits(path, before))
                or (after is not None and self.runner.admits(path, after))
            )

        if not any(may_move(path, *versions) for path, versions in changes.items()):
            return {}
        fresh = {hit.path: hit.doc for hit in self.runner.run(store)}
        delta: Delta = {
            path: Entry(doc)
            for path, doc in fresh.items()
            if _version(self.results.get(path)) != doc.update_time
        }
        for path in self.results.keys() - fresh.keys():
            delta[path] = Entry(None, exists=store.get(path) is not None)
        self.results = fresh
        return delta


class ListenHub:
    """The query groups and document targets of one store. Every method runs under the
    store lock."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._groups: dict[tuple[str, bytes], QueryGroup] = {}
        # Groups by queried collection path; collection-group queries scan their own list.
        self._by_collection: dict[str, set[QueryGroup]] = defaultdict(set)
        self._collection_groups: set[QueryGroup] = set()
        self._by_document: dict[str, set[Target]] = defaultdict(set)
        # Rules verdicts of this commit, by (query, caller): one judgement for listeners
        # of one query with the same auth. Any commit may change what rules read.
        self.verdicts: dict[tuple[tuple[str, bytes], str], FirestoreError | None] = {}
        store.on_commit(self._on_commit)

    def attach_query(self, target_id: int, sink: Sink, runner: QueryRunner) -> Target:
        """A query target in the group of its query (created, and run, if new)."""
        key = (runner.parent, runner.query.SerializeToString(deterministic=True))
        group = self._groups.get(key)
        if group is None:
            group = QueryGroup(key, runner, self.store)
            self._groups[key] = group
            if runner.is_collection_group:
                self._collection_groups.add(group)
            else:
                self._by_collection[runner.collection_path].add(group)
        target = Target(target_id, sink, group=group)
        group.members.add(target)
        return target

    def attach_documents(self, target_id: int, sink: Sink, paths: list[str]) -> Target:
        target = Target(target_id, sink, paths=paths)
        for path in paths:
            self._by_document[path].add(target)
        return target

    def detach(self, target: Target) -> None:
        for path in target.paths:
            watchers = self._by_document.get(path)
            if watchers is not None:
                watchers.discard(target)
                if not watchers:
                    del self._by_document[path]
        group = target.group
        if group is None:
            return
        group.members.discard(target)
        if group.members:
            return
        del self._groups[group.key]
        if group.runner.is_collection_group:
            self._collection_groups.discard(group)
        else:
            collection = self._by_collection[group.runner.collection_path]
            collection.discard(group)
            if not collection:
                del self._by_collection[group.runner.collection_path]

    def results(self, target: Target) -> dict[str, StoredDoc]:
        """What a target holds now."""
        if target.group is not None:
            return dict(target.group.results)
        found = {path: self.store.get(path) for path in target.paths}
        return {path: doc for path, doc in found.items() if doc is not None}

    def _on_commit(
        self, changes: dict[str, tuple[StoredDoc | None, StoredDoc | None]], stamp: Timestamp
    ) -> None:
        self.verdicts = {}
        batches: dict[Sink, list[tuple[Target, Delta]]] = defaultdict(list)
        for group, in_scope in self._touched_groups(changes).items():
            delta = group.update(self.store, in_scope)
            if delta:
                for target in group.members:
                    batches[target.sink].append((target, delta))
        for path, (_before, after) in changes.items():
            for target in self._by_document.get(path, ()):
                entry = Entry(after) if after is not None else Entry(None, exists=False)
                batches[target.sink].append((target, {path: entry}))
        for sink, items in batches.items():
            sink((stamp, items))

    def _touched_groups(
        self, changes: dict[str, tuple[StoredDoc | None, StoredDoc | None]]
    ) -> dict[QueryGroup, dict[str, tuple[Any, Any]]]:
        """Each group with the changes in its scope."""
        touched: dict[QueryGroup, dict[str, tuple[Any, Any]]] = defaultdict(dict)
        for path, versions in changes.items():
            collection = path.rpartition("/")[0]
            for group in self._by_collection.get(collection, ()):
                touched[group][path] = versions
            for group in self._collection_groups:
                if group.runner.in_scope(path):
                    touched[group][path] = versions
        return touched


def _version(doc: StoredDoc | None) -> Timestamp | None:
    return doc.update_time if doc is not None else None
