// The firebase JS SDK as a reviewer would try it: value types, firestore/lite (REST) reads,
// writes, batches, transactions and aggregations, a denial's message, and listeners on a
// limited query and on a document. Prints one JSON line per step.
// Usage: node audit_client.mjs HOST PORT UID
import { initializeApp } from "../../../js/node_modules/firebase/app/dist/index.mjs";
import * as fs from "../../../js/node_modules/firebase/firestore/dist/index.mjs";
import * as lite from "../../../js/node_modules/firebase/firestore/lite/dist/index.mjs";

const [host, port, uid] = process.argv.slice(2);
const out = (step, value) => console.log(JSON.stringify({ step, value }));
const settle = (promise) => promise.then(() => null);

async function outcome(promise) {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, code: error.code, message: error.message };
  }
}

const db = fs.getFirestore(initializeApp({ projectId: "demo-flowchat" }));
fs.connectFirestoreEmulator(db, host, Number(port), { mockUserToken: { user_id: uid } });
const ldb = lite.getFirestore(initializeApp({ projectId: "demo-flowchat" }, "lite"));
lite.connectFirestoreEmulator(ldb, host, Number(port), { mockUserToken: { user_id: uid } });
const pub = fs.collection(db, "public");

const typed = fs.doc(pub, "types");
await fs.setDoc(typed, {
  ts: new fs.Timestamp(1600000000, 123456789), bytes: fs.Bytes.fromBase64String("AP8="),
  geo: new fs.GeoPoint(1, 2), ref: fs.doc(db, "x/y"), big: 9007199254740991, negZero: -0,
  nan: NaN, arr: fs.arrayUnion(1, 1, 2), map: { "a.b": 1 }, vec: fs.vector([1, 2]),
});
const t = await fs.getDoc(typed);
out("types", {
  ts: [t.get("ts").seconds, t.get("ts").nanoseconds], bytes: t.get("bytes").toBase64(),
  geo: [t.get("geo").latitude, t.get("geo").longitude], ref: t.get("ref").path,
  big: t.get("big"), negZero: Object.is(t.get("negZero"), -0), nan: Number.isNaN(t.get("nan")),
  arr: t.get("arr"), map: t.get("map"), vec: t.get("vec").toArray(),
});

const liteDoc = lite.doc(ldb, "public/lite");
await lite.setDoc(liteDoc, { n: 5, at: lite.serverTimestamp(), gone: true });
const got = await lite.getDoc(liteDoc);
out("liteGet", { n: got.get("n"), hasAt: got.get("at") instanceof lite.Timestamp });
out("liteDenied", await outcome(lite.setDoc(lite.doc(ldb, "owned/someone-else"), { n: 1 })));
const five = lite.query(lite.collection(ldb, "public"), lite.where("n", "==", 5));
out("liteQuery", (await lite.getDocs(five)).docs.map((d) => d.id));
out("liteBatch", await outcome(settle(lite.writeBatch(ldb)
  .set(lite.doc(ldb, "public/b1"), { n: 1 })
  .update(liteDoc, { n: lite.increment(1), gone: lite.deleteField() }).commit())));
out("liteAfterBatch", (await lite.getDoc(liteDoc)).data().gone === undefined);
out("liteTransaction", await outcome(lite.runTransaction(ldb, async (tx) => {
  const current = await tx.get(liteDoc);
  tx.update(liteDoc, { n: current.get("n") + 1 });
  return current.get("n") + 1;
})));
const publicLite = lite.collection(ldb, "public");
out("liteAggregate", (await lite.getAggregate(publicLite, {
  total: lite.sum("n"), mean: lite.average("n"), n: lite.count() })).data());
out("count", (await fs.getCountFromServer(fs.query(pub, fs.where("n", ">=", 1)))).data().count);

// Waits (bounded) until a listener has delivered a server snapshot with the wanted ids.
function watch(target, ids) {
  const states = [];
  let wake = () => {};
  // Metadata changes too: the server's confirmation of a cached state is only one of those.
  const stop = fs.onSnapshot(target, { includeMetadataChanges: true }, (snapshot) => {
    if (snapshot.metadata.hasPendingWrites || snapshot.metadata.fromCache) return;
    states.push(ids(snapshot));
    wake();
  }, (error) => { states.push(`error:${error.code}`); wake(); });
  const until = async (wanted) => {
    const deadline = Date.now() + 5000;
    while (states.at(-1) !== wanted && Date.now() < deadline) {
      await new Promise((resolve) => { wake = resolve; setTimeout(resolve, 100); });
    }
    return states.at(-1);
  };
  return { stop, until };
}

for (let i = 0; i < 5; i++) await fs.setDoc(fs.doc(pub, `w${i}`), { k: i });
const names = (qs) => qs.docs.map((d) => d.id).join(",");
const window = watch(fs.query(pub, fs.orderBy("k"), fs.limit(2)), names);
const windows = [await window.until("w0,w1")];
await fs.deleteDoc(fs.doc(pub, "w0"));
windows.push(await window.until("w1,w2"));
await fs.setDoc(fs.doc(pub, "w9"), { k: -1 });
windows.push(await window.until("w9,w1"));
await fs.updateDoc(fs.doc(pub, "w1"), { k: 100 });
windows.push(await window.until("w9,w2"));
window.stop();
out("limitWindow", windows);

const last = watch(fs.query(pub, fs.orderBy("k"), fs.limitToLast(2)), names);
const lasts = [await last.until("w4,w1")];
await fs.deleteDoc(fs.doc(pub, "w4"));
lasts.push(await last.until("w3,w1"));
last.stop();
out("limitToLast", lasts);

const solo = watch(fs.doc(pub, "solo"), (s) => (s.exists() ? String(s.get("n")) : "none"));
const soloStates = [await solo.until("none")];
await fs.setDoc(fs.doc(pub, "solo"), { n: 1 });
soloStates.push(await solo.until("1"));
await fs.deleteDoc(fs.doc(pub, "solo"));
soloStates.push(await solo.until("none"));
solo.stop();
out("documentListener", soloStates);

const denied = watch(fs.collectionGroup(db, "public"), names);
out("collectionGroupDenied", await denied.until("error:permission-denied"));
const byId = fs.query(pub, fs.where(fs.documentId(), "in", ["w1", "w2"]));
out("documentIdQuery", (await fs.getDocs(byId)).docs.map((d) => d.id));
await fs.terminate(db);
process.exit(0);
