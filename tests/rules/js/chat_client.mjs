// A chat client as docs/client-guide.md writes it, on the real firebase JS SDK: marks itself
// typing in a room and opens a presence session, each with its onDisconnect clean-up, sends
// one lastActive heartbeat, prints {"ready": true}, then idles until killed.
// The firebase package is resolved from tests/js, which owns the Node dependencies.
// Usage: node chat_client.mjs HOST PORT NAMESPACE UID ROOM_ID SESSION_ID TOKEN_LIFETIME_S
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const requireFromJs = createRequire(new URL("../../js/package.json", import.meta.url));
const load = (name) => import(pathToFileURL(requireFromJs.resolve(name)).href);
const { initializeApp } = await load("firebase/app");
const {
  connectDatabaseEmulator, getDatabase, onDisconnect, ref, serverTimestamp, set, update,
} = await load("firebase/database");

const [host, port, namespace, uid, roomId, sessionId, lifetime] = process.argv.slice(2);
const print = (value) => console.log(JSON.stringify(value));
const now = Math.floor(Date.now() / 1000);
const app = initializeApp({
  projectId: "demo-flowchat",
  databaseURL: `https://${namespace}.firebaseio.com`,
});
const db = getDatabase(app);
// The emulator trusts the unsigned mock token; exp is set so a test can let it expire.
connectDatabaseEmulator(db, host, Number(port), {
  mockUserToken: { user_id: uid, sub: uid, iat: now, exp: now + Number(lifetime) },
});

try {
  const typing = ref(db, `typing/${roomId}/${uid}`);
  await onDisconnect(typing).remove();
  await set(typing, serverTimestamp());

  const session = ref(db, `status/${uid}/connections/${sessionId}`);
  await onDisconnect(session).remove();
  await onDisconnect(ref(db, `status/${uid}/lastSeen`)).set(serverTimestamp());
  await set(session, { startedAt: serverTimestamp(), lastActive: serverTimestamp(), device: "node" });
  await update(session, { lastActive: serverTimestamp() });
  print({ ready: true });
} catch (error) {
  print({ error: error.code ?? String(error) });
}
setInterval(() => {}, 1 << 30);
