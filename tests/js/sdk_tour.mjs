// A tour of the firebase JS SDK's database API against the emulator, signed in as UID.
// Each step prints one JSON line {"step": name, ...outcome}; the Python test checks them.
// The rules are the emulator tests' test.rules.json (public/ open, private/$uid own only).
// Usage: node sdk_tour.mjs HOST PORT NAMESPACE UID
import {
  endAt, equalTo, get, goOffline, increment, limitToFirst, limitToLast, onChildAdded,
  onChildChanged, onChildRemoved, onDisconnect, onValue, orderByChild, orderByKey, orderByValue,
  push, query, ref, remove, serverTimestamp, set, startAt, update,
} from "firebase/database";

import { emulatorDatabase } from "./emulator_database.mjs";

const [host, port, namespace, uid] = process.argv.slice(2);

const database = (name) => emulatorDatabase({ host, port, namespace, uid, name });

const print = (step, outcome) => console.log(JSON.stringify({ step, ...outcome }));
const firstValue = (target) => new Promise((resolve, reject) => {
  onValue(target, (snapshot) => resolve(snapshot.val()), reject, { onlyOnce: true });
});
const until = (target, predicate) => new Promise((resolve) => {
  let done = false;
  const stop = onValue(target, (snapshot) => {
    if (!done && predicate(snapshot.val())) { done = true; resolve(snapshot.val()); }
  });
  // The callback may run before onValue returns (cached data): stop listening afterwards.
  const poll = setInterval(() => { if (done) { clearInterval(poll); stop(); } }, 10);
});
const keys = (snapshot) => {
  const order = [];
  snapshot.forEach((child) => { order.push(child.key); });
  return order;
};
const codeOf = async (promise) => {
  try { await promise; return null; } catch (error) { return error.code ?? String(error); }
};

const db = database("main");
const root = (path) => ref(db, path);

print("connected", { value: await until(root(".info/connected"), (v) => v === true) });

await set(root("public/basics"), { a: 1, b: { c: "x" } });
await update(root("public/basics"), { a: 2, "b/d": true });
const pushed = push(root("public/basics/list"));
await set(pushed, { n: 1 });
await remove(root("public/basics/b/c"));
print("basics", { value: (await get(root("public/basics"))).val(), pushedKey: pushed.key });

const events = [];
const list = root("public/events");
const stops = [
  onChildAdded(list, (s) => events.push(["added", s.key, s.val()])),
  onChildChanged(list, (s) => events.push(["changed", s.key, s.val()])),
  onChildRemoved(list, (s) => events.push(["removed", s.key, s.val()])),
];
await set(root("public/events/x"), 1);
await set(root("public/events/y"), 2);
await set(root("public/events/x"), 3);
await remove(root("public/events/y"));
await until(list, (v) => v && v.x === 3 && !("y" in v));
stops.forEach((stop) => stop());
print("child_events", { events });

await set(root("public/scores"), {
  a: { s: 5, owner: "u1" }, b: { s: 1, owner: "u2" }, c: { s: 3, owner: "u1" },
  d: { owner: "u3" }, e: { s: "text", owner: "u2" },
});
const scores = root("public/scores");
print("queries", {
  byChild: keys(await get(query(scores, orderByChild("s")))),
  equal: keys(await get(query(scores, orderByChild("owner"), equalTo("u1")))),
  last2: keys(await get(query(scores, orderByChild("s"), limitToLast(2)))),
  range: keys(await get(query(scores, orderByChild("s"), startAt(2), endAt(5)))),
  byKeyFirst2: keys(await get(query(scores, orderByKey(), limitToFirst(2)))),
});
await set(root("public/values"), { p: 3, q: 1, r: 2 });
print("order_by_value", { keys: keys(await get(query(root("public/values"), orderByValue()))) });

const live = [];
const stopLive = onValue(query(scores, orderByChild("s"), limitToLast(2)),
  (snapshot) => live.push(keys(snapshot)));
await set(root("public/scores/f"), { s: 100, owner: "u4" });
await until(query(scores, orderByChild("s"), limitToLast(2)), (v) => v && "f" in v);
stopLive();
print("live_query", { last: live[live.length - 1] });

const before = Date.now();
await set(root("public/server"), { at: serverTimestamp(), n: increment(2) });
await update(root("public/server"), { n: increment(3), missing: increment(1) });
const server = (await get(root("public/server"))).val();
print("server_values", { value: server, skewMs: Math.abs(server.at - before) });
print("server_time_offset", { value: await firstValue(root(".info/serverTimeOffset")) });

print("own_write", { code: await codeOf(set(root(`private/${uid}`), { name: uid })) });
print("denied_write", { code: await codeOf(set(root("private/someone-else"), 1)) });
print("denied_read", { code: await codeOf(firstValue(root("secret"))) });
print("denied_get", { code: await codeOf(get(root("secret"))) });
print("invalid_write", { code: await codeOf(set(root("numbers/x"), "not a number")) });

// onDisconnect from a second connection, run when that connection goes offline.
const other = database("other");
const at = (path) => ref(other, path);
await set(at("public/od/keep"), "k");
await set(at("public/od/gone"), "g");
await set(at("public/od/cancelled"), "c");
await onDisconnect(at("public/od/status")).set({ state: "offline", at: serverTimestamp() });
await onDisconnect(at("public/od/merged")).update({ a: 1, b: increment(1) });
await onDisconnect(at("public/od/gone")).remove();
const cancelled = onDisconnect(at("public/od/cancelled"));
await cancelled.remove();
await cancelled.cancel();
const deniedOnDisconnect = await codeOf(onDisconnect(at("private/someone-else")).set(1));
goOffline(other);
const afterDisconnect = await until(root("public/od"), (v) => v && v.status && v.merged);
print("on_disconnect", { value: afterDisconnect, deniedCode: deniedOnDisconnect });

goOffline(db);
process.exit(0);
