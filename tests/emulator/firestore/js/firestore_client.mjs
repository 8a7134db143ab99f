// Drives the emulator with the real firebase JS SDK (Node: gRPC Listen + Write streams)
// as a signed-in end user, and prints one JSON line per step.
// Usage: node firestore_client.mjs HOST PORT UID
import { initializeApp } from "../../../js/node_modules/firebase/app/dist/index.mjs";
import {
  connectFirestoreEmulator, doc, getDoc, getDocs, getFirestore, collection, query, where,
  onSnapshot, setDoc, updateDoc, deleteDoc, serverTimestamp, runTransaction, increment,
  terminate, limit,
} from "../../../js/node_modules/firebase/firestore/dist/index.mjs";

const [host, port, uid] = process.argv.slice(2);
const app = initializeApp({ projectId: "demo-flowchat" });
const db = getFirestore(app);
connectFirestoreEmulator(db, host, Number(port), { mockUserToken: { user_id: uid } });
const out = (step, value) => console.log(JSON.stringify({ step, value }));

async function outcome(promise) {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, code: error.code };
  }
}

const mine = doc(db, "owned", uid);
out("set", await outcome(setDoc(mine, { v: 1, at: serverTimestamp() }).then(() => null)));
const snap = await getDoc(mine);
out("get", { exists: snap.exists(), v: snap.get("v"), hasTime: snap.get("at") !== null });
out("update", await outcome(updateDoc(mine, { v: increment(2) }).then(() => null)));
out("afterUpdate", (await getDoc(mine)).get("v"));
out("deniedSet", await outcome(setDoc(doc(db, "owned", "someone-else"), { v: 1 })));
out("deniedGet", await outcome(getDoc(doc(db, "owned", "someone-else"))));
out("missing", (await getDoc(doc(db, "public", "nothing-here"))).exists());

const seen = [];
const ready = new Promise((resolve) => {
  const stop = onSnapshot(query(collection(db, "public"), where("n", ">=", 1), limit(5)),
    (qs) => {
      seen.push(qs.docs.map((d) => d.id));
      if (seen.length === 3) { stop(); resolve(); }
    },
    (error) => { out("listenError", error.code); resolve(); });
});
await new Promise((r) => setTimeout(r, 200));
await setDoc(doc(db, "public", "p1"), { n: 1 });
await setDoc(doc(db, "public", "p2"), { n: 2 });
await ready;
out("listen", seen);
out("query", (await getDocs(query(collection(db, "public"), where("n", "==", 2)))).docs
  .map((d) => d.id));

const total = await outcome(runTransaction(db, async (tx) => {
  const current = await tx.get(mine);
  tx.update(mine, { v: current.get("v") + 10 });
  return current.get("v") + 10;
}));
out("transaction", total);
out("delete", await outcome(deleteDoc(mine).then(() => null)));
await terminate(db);
process.exit(0);
