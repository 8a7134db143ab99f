// Watches a query with the real SDK and prints the children's keys in query order, one
// JSON line per change: {"keys": [...]}. The query is a tagged listen on the wire.
// Usage: node query_watch.mjs HOST PORT NAMESPACE PATH ORDER LIMIT_TO_LAST
//   ORDER: "key" | "value" | "priority" | a child path
import {
  limitToLast, onValue, orderByChild, orderByKey, orderByPriority, orderByValue, query, ref,
} from "firebase/database";

import { emulatorDatabase } from "./emulator_database.mjs";

const [host, port, namespace, path, order, limit] = process.argv.slice(2);
const db = emulatorDatabase({ host, port, namespace, uid: "watcher" });

const orderings = { key: orderByKey, value: orderByValue, priority: orderByPriority };
const ordering = orderings[order] ? orderings[order]() : orderByChild(order);
onValue(
  query(ref(db, path), ordering, limitToLast(Number(limit))),
  (snapshot) => {
    const keys = [];
    snapshot.forEach((child) => { keys.push(child.key); });
    console.log(JSON.stringify({ keys }));
  },
  (error) => console.log(JSON.stringify({ error: error.code ?? String(error) })),
);
