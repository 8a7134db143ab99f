// The Firestore operations of docs/client-guide.md, run as written with the real firebase JS
// SDK as one signed-in member; prints one JSON line per step: {"step", "ok", "code"?, ...}.
// The firebase package is resolved from tests/js, which owns the Node dependencies.
// Usage: node guide_messages.mjs HOST PORT UID ROOM_ID
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const requireFromJs = createRequire(new URL("../../js/package.json", import.meta.url));
const load = (name) => import(pathToFileURL(requireFromJs.resolve(name)).href);
const { initializeApp } = await load("firebase/app");
const {
  connectFirestoreEmulator, getFirestore, collection, doc, writeBatch, setDoc, updateDoc,
  deleteDoc, getDoc, query, orderBy, limit, onSnapshot, serverTimestamp, terminate,
} = await load("firebase/firestore");

const [host, port, uid, roomId] = process.argv.slice(2);
const app = initializeApp({ projectId: "demo-flowchat" });
const db = getFirestore(app);
connectFirestoreEmulator(db, host, Number(port), { mockUserToken: { user_id: uid, sub: uid } });
const print = (value) => console.log(JSON.stringify(value));

async function step(name, action) {
  try {
    const value = await action();
    print({ step: name, ok: true, ...(value ?? {}) });
  } catch (error) {
    print({ step: name, ok: false, code: error.code ?? String(error) });
  }
}

// --- as in the client guide ---
const nextSlot = new Map();
async function sendMessage(text, { kind = "text", attachments = [], parentId = null } = {}) {
  const messageRef = doc(collection(db, "rooms", roomId, "messages"));
  const message = { authorId: uid, kind, text, attachments, createdAt: serverTimestamp(),
                    parentId };
  const slot = nextSlot.get(roomId) ?? 0;
  nextSlot.set(roomId, (slot + 1) % 5);
  const batch = writeBatch(db);
  batch.set(messageRef, message);
  batch.set(doc(db, "rooms", roomId, "rateLimits", uid),
            { lastMessageAt: serverTimestamp(), lastMessageId: messageRef.id,
              [`slot${slot}`]: serverTimestamp() }, { merge: true });
  await batch.commit();
  return messageRef.id;
}

let lastMarked;
async function markRead(messageSnap) {
  if (messageSnap.metadata.hasPendingWrites) return false;
  const { createdAt } = messageSnap.data();
  if (lastMarked && createdAt <= lastMarked) return false;
  await setDoc(doc(db, "rooms", roomId, "receipts", uid),
               { lastReadMessageId: messageSnap.id, lastReadAt: createdAt });
  lastMarked = createdAt;
  return true;
}
// ---

setTimeout(() => { print({ step: "timeout", ok: false }); process.exit(2); }, 60_000).unref();

const delivered = new Promise((resolve, reject) => {
  const timeline = query(collection(db, "rooms", roomId, "messages"),
                         orderBy("createdAt", "desc"), limit(50));
  const stop = onSnapshot(timeline, (snap) => {
    const mine = snap.docs.find((d) => d.data().text === "hello from the guide"
                                       && !d.metadata.hasPendingWrites);
    if (mine) { stop(); resolve(mine.id); }
  }, reject);
});
delivered.catch(() => {}); // awaited (and reported) by its step below

let sent;
await step("send", async () => ({ id: (sent = await sendMessage("hello from the guide")) }));
// A burst: four more pass, the sixth message within 5 s is refused.
await step("sendTooSoon", async () => {
  for (const text of ["ok", "thanks", "4", "5"]) await sendMessage(text);
  return { id: await sendMessage("sixth") };
});
await step("delivered", async () => ({ id: await delivered }));
await new Promise((resolve) => setTimeout(resolve, 5100));
await step("reply", async () => ({ id: await sendMessage("in thread", { parentId: sent ?? `m-${uid}` }) }));
// A refused send leaves nothing to act on: carry on with the user's seeded message.
const target = sent ?? `m-${uid}`;
const messageRef = doc(db, "rooms", roomId, "messages", target);
await step("edit", () => updateDoc(messageRef, { text: "edited", editedAt: serverTimestamp() }));
const reaction = doc(db, "rooms", roomId, "messages", target, "reactions", uid);
await step("react", () => setDoc(reaction, { emoji: "🎉", createdAt: serverTimestamp() }));
await step("changeReaction", () => setDoc(reaction, { emoji: "👍", createdAt: serverTimestamp() }));
await step("unreact", () => deleteDoc(reaction));
await step("markRead", async () => ({ marked: await markRead(await getDoc(messageRef)) }));
await step("markReadBack", async () => {
  const older = await getDoc(doc(db, "rooms", roomId, "messages", "m-old"));
  await setDoc(doc(db, "rooms", roomId, "receipts", uid),
               { lastReadMessageId: older.id, lastReadAt: older.get("createdAt") });
});
await step("softDelete", () => updateDoc(messageRef,
  { text: "", attachments: [], deletedAt: serverTimestamp() }));
await step("editDeleted", () => updateDoc(messageRef, { text: "again", editedAt: serverTimestamp() }));
await terminate(db);
process.exit(0);
