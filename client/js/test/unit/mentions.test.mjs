// @mentions found in a composer's text, matched against the room's members.
import assert from "node:assert/strict";
import { test } from "node:test";

import { mentionedNames, mentions, mentionsIn, MAX_MENTIONS } from "../../dist/index.js";

const members = [{ uid: "u-bob", username: "bob_1" }, { uid: "u-ann", username: "Ann.B" }];

test("names after @ are found once, without a trailing full stop or an e-mail address", () => {
  assert.deepEqual(mentionedNames("hi @bob_1 and @Ann.B. (@bob_1 again) mail a@b.cd"),
    ["bob_1", "Ann.B"]);
  assert.deepEqual(mentionedNames("@ab is too short, @x"), []);
});

test("only members are mentioned, case-insensitively, at most MAX_MENTIONS", () => {
  assert.deepEqual(mentionsIn("@BOB_1 meet @ann.b and @stranger", members), ["u-bob", "u-ann"]);
  const many = Array.from({ length: MAX_MENTIONS + 3 }, (_, i) => ({ uid: `u${i}`, username: `user${i}` }));
  assert.equal(mentionsIn(many.map((m) => `@${m.username}`).join(" "), many).length, MAX_MENTIONS);
});

test("a message mentions a user when its mentions list them", () => {
  assert.equal(mentions({ mentions: ["u-bob"] }, "u-bob"), true);
  assert.equal(mentions({}, "u-bob"), false);
  assert.equal(mentions({ mentions: ["u-bob"] }, null), false);
});
