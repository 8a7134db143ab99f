// The client-side checks against the rules' constants, and the denial explanation.
import assert from "node:assert/strict";
import { test } from "node:test";

import { checkDraft, isRoomFileUrl } from "../../dist/checks.js";
import { explained } from "../../dist/denial.js";
import {
  EmptyMessage, InvalidAttachment, InvalidMessage, MessageTooLong, NotAMember, UnexpectedDenial,
} from "../../dist/index.js";

const url = (room, file = "cat.jpg") =>
  `https://res.cloudinary.com/demo-flowchat/image/upload/v17/flowchat/rooms/${room}/${file}`;
const image = (extra = {}) => ({ kind: "image", url: url("r1"), name: "cat.jpg", contentType: "image/jpeg", size: 10, ...extra });

test("text length is counted in code points, as the rules count it", () => {
  checkDraft("r1", { text: "😀".repeat(4000) });
  assert.throws(() => checkDraft("r1", { text: "x".repeat(4001) }), MessageTooLong);
  assert.throws(() => checkDraft("r1", { text: "" }), EmptyMessage);
  assert.throws(() => checkDraft("r1", { text: "hi", kind: "video" }), InvalidMessage);
});

test("attachments: the room's folder of the configured cloud, no dot segments", () => {
  checkDraft("r1", { text: "", kind: "image", attachments: [image()] });
  assert.ok(isRoomFileUrl("r1", url("r1")));
  assert.ok(!isRoomFileUrl("r1", url("r2")));
  assert.ok(!isRoomFileUrl("r1", url("r1", "../x.jpg")));
  assert.ok(!isRoomFileUrl("r1", url("r1").replace("demo-flowchat", "other-cloud")));
  assert.ok(!isRoomFileUrl("r1", url("r1", "%2e%2e/x.jpg")));
  for (const bad of [image({ url: url("r2") }), image({ kind: "video" }), image({ size: -1 }),
                     image({ contentType: "text/html" }), image({ extra: 1 }), image({ width: 0 })]) {
    assert.throws(() => checkDraft("r1", { text: "", kind: "image", attachments: [bad] }),
      InvalidAttachment, JSON.stringify(bad));
  }
  assert.throws(() => checkDraft("r1", { text: "hi", attachments: [image()] }), InvalidAttachment);
  assert.throws(() => checkDraft("r1", { text: "", kind: "file", attachments: [] }), InvalidAttachment);
});

test("a denial the re-check explains becomes its typed error", async () => {
  const denied = Object.assign(new Error("denied"), { code: "permission-denied" });
  await assert.rejects(explained("send", async () => { throw denied; },
    async () => { throw new NotAMember("r1"); }), NotAMember);
});

test("a denial nothing explains is an UnexpectedDenial carrying the server's error", async () => {
  const denied = Object.assign(new Error("denied"), { code: "permission-denied" });
  await assert.rejects(explained("send", async () => { throw denied; }, async () => {}),
    (error) => error instanceof UnexpectedDenial && error.cause === denied);
  const other = Object.assign(new Error("offline"), { code: "unavailable" });
  await assert.rejects(explained("send", async () => { throw other; }, async () => {}),
    (error) => error === other);
});
