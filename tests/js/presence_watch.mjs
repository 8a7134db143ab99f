// Another user watching a user's presence: prints one JSON line per change,
// {"online": bool, "sessions": [ids]}; first it tries to write the watched user's
// status and prints {"denied": code} (rules allow only the owner to write).
// Usage: node presence_watch.mjs HOST PORT NAMESPACE WATCHER_UID WATCHED_UID
import { onValue, ref, set } from "firebase/database";

import { emulatorDatabase } from "./emulator_database.mjs";

const [host, port, namespace, watcherUid, watchedUid] = process.argv.slice(2);
const db = emulatorDatabase({ host, port, namespace, uid: watcherUid });

const print = (value) => console.log(JSON.stringify(value));
try {
  await set(ref(db, `status/${watchedUid}/connections/forged`), { startedAt: 1, lastActive: 1 });
  print({ denied: null });
} catch (error) {
  print({ denied: error.code ?? String(error) });
}
onValue(
  ref(db, `status/${watchedUid}/connections`),
  (snapshot) => print({ online: snapshot.exists(), sessions: Object.keys(snapshot.val() ?? {}).sort() }),
  (error) => print({ error: error.code ?? String(error) }),
);
