// Reconnection: a client goes offline (its onDisconnect runs), writes while offline, then
// goes online again; the queued write reaches the server and its listener resumes.
// Prints {"afterOffline": ..., "afterOnline": ..., "listenerSaw": [...]}.
// Usage: node reconnect.mjs HOST PORT NAMESPACE UID
import { goOffline, goOnline, onDisconnect, onValue, ref, set } from "firebase/database";

import { emulatorDatabase } from "./emulator_database.mjs";

const [host, port, namespace, uid] = process.argv.slice(2);
const database = (name) => emulatorDatabase({ host, port, namespace, uid, name });
const until = (target, predicate) => new Promise((resolve) => {
  onValue(target, (snapshot) => { if (predicate(snapshot.val())) resolve(snapshot.val()); });
});

const client = database("client");
const observer = database("observer");
const seen = [];
onValue(ref(client, "public/reconnect/shared"), (snapshot) => seen.push(snapshot.val()));
await set(ref(client, "public/reconnect/state"), "online");
await onDisconnect(ref(client, "public/reconnect/state")).set("offline");
goOffline(client);
const afterOffline = await until(ref(observer, "public/reconnect/state"), (v) => v === "offline");
const pending = set(ref(client, "public/reconnect/state"), "back");
await set(ref(observer, "public/reconnect/shared"), "written while the client was away");
goOnline(client);
await pending;
await until(ref(client, "public/reconnect/shared"), (v) => v !== null);
const afterOnline = await Promise.race([
  until(ref(observer, "public/reconnect/state"), (v) => v === "back"),
  new Promise((resolve) => { setTimeout(() => resolve("timed out"), 10000); }),
]);
console.log(JSON.stringify({ afterOffline, afterOnline, listenerSaw: seen }));
goOffline(client);
goOffline(observer);
process.exit(0);
