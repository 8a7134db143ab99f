// Query-based read rules through the SDK: reads the baskets owned by UID (allowed by a rule
// on query.orderByChild / query.equalTo), then all baskets and another user's (both denied).
// Prints {"own": {...}, "all": code, "other": code, "liveOwn": [...keys]}.
// Usage: node query_rules.mjs HOST PORT NAMESPACE UID
import {
  equalTo, get, goOffline, limitToFirst, onValue, orderByChild, query, ref,
} from "firebase/database";

import { emulatorDatabase } from "./emulator_database.mjs";

const [host, port, namespace, uid] = process.argv.slice(2);
const db = emulatorDatabase({ host, port, namespace, uid });

const codeOf = async (promise) => {
  try { await promise; return null; } catch (error) { return error.code ?? error.message; }
};
const listenOnce = (target) => new Promise((resolve) => {
  onValue(target, (snapshot) => resolve(Object.keys(snapshot.val() ?? {})),
    (error) => resolve(error.code), { onlyOnce: true });
});

const baskets = ref(db, "baskets");
const own = query(baskets, orderByChild("owner"), equalTo(uid));
console.log(JSON.stringify({
  own: (await get(own)).val(),
  liveOwn: await listenOnce(own),
  all: await codeOf(get(baskets)),
  allLive: await listenOnce(baskets),
  other: await listenOnce(query(baskets, orderByChild("owner"), equalTo("someone-else"))),
  limited: await listenOnce(query(baskets, orderByChild("owner"), equalTo(uid), limitToFirst(1))),
}));
goOffline(db);
process.exit(0);
