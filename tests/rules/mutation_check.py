"""Mutation check of the rules suite: weaken the rules one way at a time; the tests must fail.

Each mutant is one textual change to firestore.rules or database.rules.json. For each, a
private emulator is started on the mutated file and the relevant rules tests run against
it (FLOWCHAT_EXTERNAL_EMULATORS); a mutant the tests do not notice "survives". Prints one
line per mutant and a total. Not collected by pytest; run it by hand:

    .venv/bin/python -m tests.rules.mutation_check
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIRESTORE_TESTS = [
    "test_firestore_matrix.py",
    "test_firestore_shapes.py",
    "test_rate_limit.py",
    "test_firestore_properties.py",
]
DATABASE_TESTS = ["test_database_matrix.py", "test_database_shapes.py", "test_realtime_protocol.py"]

FIRESTORE_MUTANTS = [
    ("&& isWithinRateLimit(roomId, messageId);", ";"),
    ("&& stamp.lastMessageId == messageId;", ";"),
    # The file-name pattern alone already excludes dot segments (the dot check is defence in
    # depth, so removing only it is an equivalent mutant): loosen both together.
    (
        "&& url.matches(cloudinaryUrlPrefix() + folder + cloudinaryFileName())\n"
        "        && !url.matches(dotSegment());",
        "&& url.matches(cloudinaryUrlPrefix() + folder + '/[A-Za-z0-9_.,~%/-]+');",
    ),
    ("+ folder + cloudinaryFileName())", "+ folder + '/[A-Za-z0-9_.,~%/-]+')"),
    (
        "return isSafeId(roomId) && isFileUrlIn(url, 'flowchat/rooms/' + roomId);",
        "return isFileUrlIn(url, 'flowchat/rooms/' + '[A-Za-z0-9_-]+');",
    ),
    ("&& (!('thumbUrl' in a) || isRoomFileUrl(roomId, a.thumbUrl))", ""),
    (
        "&& (d.parentId == null || isThreadParent(roomId, d.parentId))",
        "&& (!('parentId' in d) || d.parentId == null || isThreadParent(roomId, d.parentId))",
    ),
    ("&& mentions.toSet().size() == mentions.size()", ""),
    ("mentions.size() <= maxMentions()", "mentions.size() <= 11"),
    ("&& request.resource.data.get('lastReadSeq', 0) >= resource.data.get('lastReadSeq', 0);", ";"),
    ("&& d.createdAt == request.time\n", "\n"),
    ("&& d.authorId == request.auth.uid", ""),
    ("text.size() <= maxTextLength()", "text.size() <= 4001"),
    ("/(image|video|raw)/upload/", "/(image|video|raw|audio)/upload/"),
    ("&& (a.kind != 'image' || a.contentType.matches('image/.+'))", ""),
    ("&& (kind != 'image' || a.kind == 'image')", ""),
    ("a.name.size() <= 255", "a.name.size() <= 256"),
    ("&& a.size is int &&", "&&"),
    ("(items.size() < 4 || isValidAttachment(roomId, kind, items[3]))", "true"),
    ("&& request.time < resource.data.createdAt + duration.value(24, 'h')", ""),
    ("&& d.deletedAt == request.time", ""),
    ("allow update: if isMember(roomId)\n        && ((isAuthor()", "allow update: if ((isAuthor()"),
    ("return isMember(roomId) && !isMuted(roomId);", "return isMember(roomId);"),
    ("(isTextEdit() && !isMuted(roomId))", "isTextEdit()"),
    ("&& get(memberPath(roomId)).data.role in ['owner', 'admin'];", ";"),
    ("&& d.get('deletedBy', request.auth.uid) == request.auth.uid", ""),
    ("|| (isModerator(roomId) && isModeratorDelete())", "|| isModeratorDelete()"),
    (
        "reportId} {\n      allow read: if isModerator(roomId);",
        "reportId} {\n      allow read: if isMember(roomId);",
    ),
    ("&& get(messagePath(roomId, parentId)).data.get('parentId', null) == null;", ";"),
    ("return id is string && id.matches('[A-Za-z0-9_-]{1,128}');", "return id is string;"),
    ("d.emoji in allowedReactions()", "d.emoji.size() > 0"),
    ("&& isLiveMessage(roomId, messageId);", ";"),
    ("allow delete: if isSelf(uid) && isMember(roomId);", "allow delete: if isSelf(uid);"),
    ("&& request.resource.data.lastReadAt >= resource.data.lastReadAt;", ";"),
    ("&& get(messagePath(roomId, d.lastReadMessageId)).data.createdAt == d.lastReadAt;", ";"),
    ("duration.value(rateLimitWindowSeconds(), 's')", "duration.value(4, 's')"),
    ("affectedKeys().difference(stampKeys).size() == 1", "affectedKeys().size() > 0"),
    ("&& isSlotKeptOrTaken(before, slots[4]);", ";"),
    (
        "|| (d.get(slot, null) == request.time && isFreeSlot(before, slot));",
        "|| d.get(slot, null) == request.time;",
    ),
    ("allow get: if isSelf(uid);", "allow get: if isSignedIn();"),
    ("allow get: if isSignedIn();", "allow read: if isSignedIn();"),
    ("allow read: if isSelf(uid);", "allow read: if isSignedIn();"),
    (
        "members/{memberId} {\n      allow read: if isMember(roomId);",
        "members/{memberId} {\n      allow read: if isSignedIn();",
    ),
]
DATABASE_MUTANTS = [
    (
        "(!newData.exists() || (root.child('roomMembers/' + $roomId + '/' + auth.uid).exists() && ",
        "(!newData.exists() || (",
    ),
    (
        " && !(root.child('roomMembers/' + $roomId + '/' + auth.uid).isNumber() && root.child("
        "'roomMembers/' + $roomId + '/' + auth.uid).val() > now)",
        "",
    ),
    (
        'newData.val() <= now && newData.val() > now - 60000"\n        }',
        'newData.val() > now - 60000"\n        }',
    ),
    ('".read": "auth != null",', '".read": true,'),
    (
        "auth.uid === $uid && (!newData.exists() || newData.hasChildren",
        "(!newData.exists() || newData.hasChildren",
    ),
    ('".validate": false', '".validate": true'),
    ("newData.val().length <= 64", "newData.val().length <= 65"),
    (
        '"lastActive": {\n              ".validate": "newData.isNumber() && newData.val() <= now',
        '"lastActive": {\n              ".validate": "newData.isNumber()',
    ),
    ('".read": "auth != null && data.child(auth.uid).exists()"', '".read": "auth != null"'),
    (
        '".validate": "newData.isNumber() && newData.val() <= now'
        ' && newData.val() > now - 60000"\n        }\n      }',
        '".validate": "newData.isNumber() && newData.val() <= now"\n        }\n      }',
    ),
]


def _start_firestore(rules: Path) -> tuple[object, dict[str, str]]:
    from emulator.firestore.server import FirestoreEmulator

    server = FirestoreEmulator(port=0, rules_path=str(rules))
    server.start()
    return server, {"FIRESTORE_EMULATOR_HOST": server.address}


def _start_database(rules: Path) -> tuple[object, dict[str, str]]:
    from emulator.database.server import DatabaseEmulator

    server = DatabaseEmulator(port=0, rules_path=str(rules), project_id="demo-flowchat")
    server.start()
    return server, {"FIREBASE_DATABASE_EMULATOR_HOST": server.address}


def _tests_fail(tests: list[str], hosts: dict[str, str]) -> bool:
    env = {**os.environ, "FLOWCHAT_EXTERNAL_EMULATORS": "1", **hosts}
    paths = [str(ROOT / "tests" / "rules" / name) for name in tests]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", *paths, "-x", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    return run.returncode != 0


def check(rules_file: str, mutants: list[tuple[str, str]], start, tests: list[str]) -> int:
    """Runs every mutant of one rules file; returns how many survived."""
    source = (ROOT / rules_file).read_text()
    survivors = 0
    for original, replacement in mutants:
        if original not in source:
            print(f"STALE     {rules_file}: {original[:60]!r} is no longer in the file")
            survivors += 1
            continue
        with tempfile.TemporaryDirectory() as folder:
            mutated = Path(folder) / Path(rules_file).name
            mutated.write_text(source.replace(original, replacement, 1))
            server, hosts = start(mutated)
            try:
                killed = _tests_fail(tests, hosts)
            finally:
                server.stop()  # type: ignore[attr-defined]
        survivors += not killed
        label = "killed  " if killed else "SURVIVED"
        print(f"{label}  {rules_file}: {original[:70]!r}".replace("\\n", " "))
    return survivors


def main() -> None:
    survivors = check("firestore.rules", FIRESTORE_MUTANTS, _start_firestore, FIRESTORE_TESTS)
    survivors += check("database.rules.json", DATABASE_MUTANTS, _start_database, DATABASE_TESTS)
    total = len(FIRESTORE_MUTANTS) + len(DATABASE_MUTANTS)
    print(f"{total - survivors} of {total} mutants killed")


if __name__ == "__main__":
    main()
