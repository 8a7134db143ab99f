// Query bounds through the SDK: startAfter / endBefore (sent with the SDK's [MIN_NAME] /
// [MAX_NAME] key sentinels), startAt / endAt / equalTo with a key, over mixed-type values.
// Prints one JSON object: query name -> keys in the order the SDK reports them.
// Usage: node query_bounds.mjs HOST PORT NAMESPACE
import {
  endAt, endBefore, equalTo, get, goOffline, limitToFirst, limitToLast, orderByChild, orderByKey,
  query, ref, set, startAfter, startAt,
} from "firebase/database";

import { emulatorDatabase } from "./emulator_database.mjs";
const [host, port, namespace] = process.argv.slice(2);
const db = emulatorDatabase({ host, port, namespace, uid: "u" });
const keysOf = (s) => { const k = []; s.forEach((c) => { k.push(c.key); }); return k; };
const items = ref(db, "public/items");
await set(items, {
  a: { s: 1 }, b: { s: 2 }, c: { s: 2 }, d: { s: 3 }, e: { s: "x" }, f: { t: 1 }, g: { s: true },
  A: { s: 2 }, Z: { s: 1 },
});
const out = {
  startAfter2: keysOf(await get(query(items, orderByChild("s"), startAfter(2)))),
  startAfter2b: keysOf(await get(query(items, orderByChild("s"), startAfter(2, "b")))),
  endBefore2: keysOf(await get(query(items, orderByChild("s"), endBefore(2)))),
  startAt2c: keysOf(await get(query(items, orderByChild("s"), startAt(2, "c")))),
  endAt2b: keysOf(await get(query(items, orderByChild("s"), endAt(2, "b")))),
  eq2: keysOf(await get(query(items, orderByChild("s"), equalTo(2)))),
  eq2c: keysOf(await get(query(items, orderByChild("s"), equalTo(2, "c")))),
  keyAfterB: keysOf(await get(query(items, orderByKey(), startAfter("b"), limitToFirst(2)))),
  keyBeforeD: keysOf(await get(query(items, orderByKey(), endBefore("d"), limitToLast(2)))),
  nullEq: keysOf(await get(query(items, orderByChild("s"), equalTo(null)))),
  boolEq: keysOf(await get(query(items, orderByChild("s"), equalTo(true)))),
};
console.log(JSON.stringify(out));
goOffline(db);
process.exit(0);
