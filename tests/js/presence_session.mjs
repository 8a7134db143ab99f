// One presence session of a user: registers onDisconnect().remove() on
// status/{uid}/connections/{sessionId} and onDisconnect().set(serverTimestamp()) on
// status/{uid}/lastSeen, writes the session, prints READY, then idles
// until killed. Usage: node presence_session.mjs HOST PORT NAMESPACE UID SESSION_ID
import { initializeApp } from "firebase/app";
import {
  connectDatabaseEmulator, getDatabase, onDisconnect, ref, serverTimestamp, set,
} from "firebase/database";

const [host, port, namespace, uid, sessionId] = process.argv.slice(2);
const app = initializeApp({
  projectId: "demo-flowchat",
  databaseURL: `https://${namespace}.firebaseio.com`,
});
const db = getDatabase(app);
// The SDK's emulator mock token: an unsigned JWT whose claims the emulator trusts.
connectDatabaseEmulator(db, host, Number(port), { mockUserToken: { user_id: uid } });

const session = ref(db, `status/${uid}/connections/${sessionId}`);
await onDisconnect(session).remove();
// The server stamps the time the socket dropped.
await onDisconnect(ref(db, `status/${uid}/lastSeen`)).set(serverTimestamp());
await set(session, { startedAt: serverTimestamp(), lastActive: serverTimestamp() });
console.log("READY");
setInterval(() => {}, 1 << 30);
