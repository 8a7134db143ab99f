// A real web client: the firebase JS SDK signs in with a custom token at the Auth emulator,
// then listens to its own sidebar (users/{uid}/rooms) in Firestore under the rules.
// Prints one JSON line per event; exits once WANT_ROOM_ID appears in the sidebar.
// Usage: node sidebar_listener.mjs AUTH_HOST:PORT FIRESTORE_HOST FIRESTORE_PORT CUSTOM_TOKEN
//   then write the awaited room id on stdin.
import { initializeApp } from "../../js/node_modules/firebase/app/dist/index.mjs";
import {
  connectAuthEmulator, getAuth, signInWithCustomToken,
} from "../../js/node_modules/firebase/auth/dist/index.mjs";
import {
  collection, connectFirestoreEmulator, doc, getDoc, getFirestore, onSnapshot, terminate,
} from "../../js/node_modules/firebase/firestore/dist/index.mjs";
import { createInterface } from "node:readline";

const [authHost, firestoreHost, firestorePort, customToken] = process.argv.slice(2);
const out = (event, value) => console.log(JSON.stringify({ event, value }));
const app = initializeApp({ projectId: "demo-flowchat", apiKey: "fake-api-key" });
const auth = getAuth(app);
connectAuthEmulator(auth, `http://${authHost}`, { disableWarnings: true });
const db = getFirestore(app);
connectFirestoreEmulator(db, firestoreHost, Number(firestorePort));

const { user } = await signInWithCustomToken(auth, customToken);
out("signedIn", user.uid);

let wanted = null;
let seen = [];
const found = new Promise((resolve) => {
  const check = () => { if (wanted && seen.includes(wanted)) resolve(); };
  onSnapshot(collection(db, "users", user.uid, "rooms"), (snapshot) => {
    seen = snapshot.docs.map((d) => d.id);
    out("sidebar", seen);
    check();
  }, (error) => { out("listenError", error.code); process.exit(3); });
  createInterface({ input: process.stdin }).on("line", (line) => {
    wanted = line.trim();
    check();
  });
});
await found;
const room = await getDoc(doc(db, "rooms", wanted));
out("room", { exists: room.exists(), name: room.get("name") ?? null });
try {
  await getDoc(doc(db, "users", "someone-else", "rooms", wanted));
  out("otherSidebar", "allowed");
} catch (error) {
  out("otherSidebar", error.code);
}
await terminate(db);
process.exit(0);
