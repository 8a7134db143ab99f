// Runs COUNT concurrent runTransaction increments of PATH/n (the rest of the object kept, so
// the server's hash of a whole map is exercised) as user UID, then prints
// {"committed": n, "value": final, "serverTimeOffset": ms}, or {"error": code} when refused.
// Transactions are puts guarded by the hash of the value the SDK last saw, so every
// increment must survive contention.
// Usage: node transaction.mjs HOST PORT NAMESPACE UID PATH COUNT
import { get, goOffline, onValue, ref, runTransaction } from "firebase/database";

import { emulatorDatabase } from "./emulator_database.mjs";

const [host, port, namespace, uid, path, count] = process.argv.slice(2);
const db = emulatorDatabase({ host, port, namespace, uid });

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
