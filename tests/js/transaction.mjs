// Runs COUNT concurrent runTransaction increments of PATH/n (the rest of the object kept, so
// the server's hash of a whole map is exercised) as user UID, then prints
// {"committed": n, "value": final, "serverTimeOffset": ms}, or {"error": code} when refused.
// Transactions are puts guarded by the hash of the value the SDK last saw, so every
// increment must survive contention.
// Usage: node transaction.mjs HOST PORT NAMESPACE UID PATH COUNT
import { initializeApp } from "firebase/app";
import {
  connectDatabaseEmulator, get, getDatabase, goOffline, onValue, ref, runTransaction,
} from "firebase/database";

const [host, port, namespace, uid, path, count] = process.argv.slice(2);
const app = initializeApp({
  projectId: "demo-flowchat",
  databaseURL: `https://${namespace}.firebaseio.com`,
});
const db = getDatabase(app);
connectDatabaseEmulator(db, host, Number(port), { mockUserToken: { user_id: uid } });

const serverTimeOffset = () => new Promise((resolve) => {
  onValue(ref(db, ".info/serverTimeOffset"), (snapshot) => resolve(snapshot.val()),
    { onlyOnce: true });
});

const target = ref(db, path);
try {
  const results = await Promise.all(
    Array.from({ length: Number(count) }, () => runTransaction(
      target, (value) => ({ ...(value ?? {}), n: (value?.n ?? 0) + 1 }),
    )),
  );
  console.log(JSON.stringify({
    committed: results.filter((r) => r.committed).length,
    value: (await get(target)).val(),
    serverTimeOffset: await serverTimeOffset(),
  }));
} catch (error) {
  console.log(JSON.stringify({ error: error.code ?? error.message ?? String(error) }));
}
goOffline(db);
process.exit(0);
