// One presence session of a user: registers onDisconnect().remove() on
// status/{uid}/connections/{sessionId} and onDisconnect().set(serverTimestamp()) on
// status/{uid}/lastSeen, writes the session, prints READY, then idles
// until killed. Usage: node presence_session.mjs HOST PORT NAMESPACE UID SESSION_ID
import { onDisconnect, ref, serverTimestamp, set } from "firebase/database";

import { emulatorDatabase } from "./emulator_database.mjs";

const [host, port, namespace, uid, sessionId] = process.argv.slice(2);
const db = emulatorDatabase({ host, port, namespace, uid });

const session = ref(db, `status/${uid}/connections/${sessionId}`);
await onDisconnect(session).remove();
// The server stamps the time the socket dropped.
await onDisconnect(ref(db, `status/${uid}/lastSeen`)).set(serverTimestamp());
await set(session, { startedAt: serverTimestamp(), lastActive: serverTimestamp() });
console.log("READY");
setInterval(() => {}, 1 << 30);
