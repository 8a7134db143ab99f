// The Node side of bench/delivery.py: the official firebase JS SDK (gRPC in Node), one
// Firestore app instance per member, each signed in with an unsigned ID token (mockUserToken).
// The firebase package is resolved from tests/js, which owns the Node dependencies.
//
//   node delivery_clients.mjs listen HOST PORT ROOM UID...
//     every UID listens to the room's latest messages (orderBy createdAt desc, limit 50);
//     prints {"ready": n} once every initial snapshot arrived, then one line per delivered
//     message and listener: {"m": messageId, "ms": send -> delivery milliseconds, "at": epoch ms}.
//   node delivery_clients.mjs send HOST PORT ROOM COUNT PACE_MS UID...
//     every UID sends COUNT messages, PACE_MS after each answer (the rules allow 5 per 5 s), each a
//     batch of the message and the rate-limit stamp as the client guide writes them; the
//     text carries the send time (epoch ms). Prints {"sent": n, "seconds": s, "start": epoch ms} at the end.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const requireFromJs = createRequire(new URL("../tests/js/package.json", import.meta.url));
const load = (name) => import(pathToFileURL(requireFromJs.resolve(name)).href);
const { initializeApp } = await load("firebase/app");
const {
  connectFirestoreEmulator, getFirestore, collection, doc, writeBatch, query, orderBy, limit,
  onSnapshot, serverTimestamp, terminate, getDoc,
} = await load("firebase/firestore");

const [mode, host, port, roomId, ...rest] = process.argv.slice(2);
const print = (value) => console.log(JSON.stringify(value));
const epochMs = () => performance.timeOrigin + performance.now();

function firestoreAs(uid) {
  const app = initializeApp({ projectId: "demo-flowchat" }, `${mode}-${uid}`);
  const db = getFirestore(app);
  connectFirestoreEmulator(db, host, Number(port), { mockUserToken: { user_id: uid, sub: uid } });
  return db;
}

function listen(uids) {
  let ready = 0;
  for (const uid of uids) {
    const db = firestoreAs(uid);
    const latest = query(collection(db, "rooms", roomId, "messages"),
                         orderBy("createdAt", "desc"), limit(50));
    let first = true;
    onSnapshot(latest, (snap) => {
      const now = epochMs();
      if (snap.metadata.fromCache) return; // not yet in sync with the emulator
      if (first) {
        first = false;
        if (++ready === uids.length) print({ ready });
        return;
      }
      for (const change of snap.docChanges()) {
        const { text } = change.doc.data();
        if (change.type !== "added" || text === "0") continue; // "0": a seeded older message
        print({ m: change.doc.id, ms: now - Number(text), at: now });
      }
    }, (error) => print({ error: error.code ?? String(error), uid }));
  }
}

async function sendAll(db, uid, count, paceMs) {
  for (let i = 0; i < count; i++) {
    const messageRef = doc(collection(db, "rooms", roomId, "messages"));
    const batch = writeBatch(db);
    batch.set(messageRef, { authorId: uid, kind: "text", text: String(epochMs()),
                            attachments: [], parentId: null, createdAt: serverTimestamp() });
    batch.set(doc(db, "rooms", roomId, "rateLimits", uid),
              { lastMessageAt: serverTimestamp(), lastMessageId: messageRef.id,
                [`slot${i % 5}`]: serverTimestamp() }, { merge: true });
    try {
      await batch.commit();
    } catch (error) {
      throw new Error(`${uid} message ${i}: ${error.code ?? error}`);
    }
    // Paced from the commit's answer, so that the server times of messages i and i + 5
    // are more than 5 s apart however long a commit waited (the rules' sliding window).
    if (paceMs > 0) await new Promise((resolve) => setTimeout(resolve, paceMs));
  }
}

async function send(count, paceMs, uids) {
  const dbs = uids.map(firestoreAs);
  // Connects and signs in first, so the timed sends carry no channel setup.
  await Promise.all(dbs.map((db, i) => getDoc(doc(db, "rooms", roomId, "members", uids[i]))));
  const start = epochMs();
  await Promise.all(dbs.map((db, i) => sendAll(db, uids[i], count, paceMs)));
  print({ sent: count * uids.length, seconds: (epochMs() - start) / 1000, start });
  await Promise.all(dbs.map((db) => terminate(db)));
  process.exit(0);
}

if (mode === "listen") listen(rest);
else if (mode === "send") {
  const [count, paceMs, ...uids] = rest;
  send(Number(count), Number(paceMs), uids).catch((error) => {
    print({ error: String(error.message ?? error) });
    process.exit(1);
  });
} else {
  console.error("usage: listen|send ...");
  process.exit(2);
}
