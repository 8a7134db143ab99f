// The send queue and its pacer, with a fake clock: order, pacing, idempotent retries.
import assert from "node:assert/strict";
import { test } from "node:test";

import { RateLimited, SendQueue } from "../../dist/index.js";

function fakeTime() {
  let now = 0;
  const sleeps = [];
  return {
    now: () => now,
    sleep: async (ms) => { sleeps.push(ms); now += ms; },
    advance: (ms) => { now += ms; },
    sleeps,
  };
}

test("one slot: sends in order, a window apart, without refusals", async () => {
  const time = fakeTime();
  const queue = new SendQueue({ rate: { slots: 1, windowMs: 1000 }, now: time.now, sleep: time.sleep });
  const sentAt = [];
  const send = (text) => queue.enqueue("r1", async (slot) => { sentAt.push([text, time.now(), slot]); }, async () => false);
  await Promise.all(["a", "b", "c"].map(send));
  assert.deepEqual(sentAt, [["a", 0, 0], ["b", 1000, 0], ["c", 2000, 0]]);
});

test("five slots: a burst of five passes, the sixth waits for the first slot", async () => {
  const time = fakeTime();
  const queue = new SendQueue({ rate: { slots: 5, windowMs: 5000 }, now: time.now, sleep: time.sleep });
  const sent = [];
  await Promise.all([1, 2, 3, 4, 5, 6, 7].map(() =>
    queue.enqueue("r1", async (slot) => { sent.push([time.now(), slot]); }, async () => false)));
  assert.deepEqual(sent, [[0, 0], [0, 1], [0, 2], [0, 3], [0, 4], [5000, 0], [5000, 1]]);
});

test("after a reload the stamp read back picks the free slot first", async () => {
  const time = fakeTime();
  time.advance(10_000);
  const queue = new SendQueue({ rate: { slots: 3, windowMs: 5000 }, now: time.now, sleep: time.sleep });
  const sent = [];
  const stamp = async () => [9000, null, 8000]; // slot 1 never used, slot 2 the oldest
  await Promise.all([1, 2, 3].map(() => queue.enqueue("r1",
    async (slot) => { sent.push([time.now(), slot]); }, async () => false, stamp)));
  assert.deepEqual(sent, [[10_000, 1], [13_000, 2], [14_000, 0]]);
});

test("rooms are paced independently", async () => {
  const time = fakeTime();
  const queue = new SendQueue({ rate: { slots: 1, windowMs: 1000 }, now: time.now, sleep: time.sleep });
  const sentAt = {};
  await Promise.all(["r1", "r2"].map((room) =>
    queue.enqueue(room, async () => { sentAt[room] = time.now(); }, async () => false)));
  assert.deepEqual(sentAt, { r1: 0, r2: 0 });
});

test("a network error is retried once the message is known not to have landed", async () => {
  const time = fakeTime();
  const queue = new SendQueue({ rate: { slots: 1, windowMs: 1000 }, now: time.now, sleep: time.sleep });
  let attempts = 0;
  await queue.enqueue("r1", async () => {
    attempts += 1;
    if (attempts === 1) throw Object.assign(new Error("socket hang up"), { code: "unavailable" });
  }, async () => false);
  assert.equal(attempts, 2);
});

test("a lost acknowledgement is not sent twice", async () => {
  const time = fakeTime();
  const queue = new SendQueue({ rate: { slots: 1, windowMs: 1000 }, now: time.now, sleep: time.sleep });
  let attempts = 0;
  await queue.enqueue("r1", async () => {
    attempts += 1;
    throw Object.assign(new Error("deadline"), { code: "deadline-exceeded" });
  }, async () => true); // the first attempt did land
  assert.equal(attempts, 1);
});

test("RateLimited from the server (another tab) waits as told and retries", async () => {
  const time = fakeTime();
  const queue = new SendQueue({ rate: { slots: 1, windowMs: 1000 }, now: time.now, sleep: time.sleep });
  let attempts = 0;
  await queue.enqueue("r1", async () => {
    attempts += 1;
    if (attempts === 1) throw new RateLimited(800);
  }, async () => false);
  assert.equal(attempts, 2);
  assert.ok(time.sleeps.includes(800), time.sleeps);
});

test("a refusal that is not transient fails that message only; the next still goes", async () => {
  const time = fakeTime();
  const queue = new SendQueue({ rate: { slots: 1, windowMs: 1000 }, now: time.now, sleep: time.sleep });
  const failing = queue.enqueue("r1", async () => { throw new Error("bad"); }, async () => false);
  const next = queue.enqueue("r1", async () => {}, async () => false);
  await assert.rejects(failing, /bad/);
  await next;
  assert.equal(queue.pending("r1"), 0);
});

test("gives up after maxAttempts network errors", async () => {
  const time = fakeTime();
  const queue = new SendQueue({ rate: { slots: 1, windowMs: 10 }, now: time.now, sleep: time.sleep, maxAttempts: 3 });
  let attempts = 0;
  await assert.rejects(queue.enqueue("r1", async () => {
    attempts += 1;
    throw Object.assign(new Error("offline"), { code: "unavailable" });
  }, async () => false), /offline/);
  assert.equal(attempts, 3);
});
