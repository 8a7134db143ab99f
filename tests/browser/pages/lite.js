// The lite SDK (firebase/firestore/lite: REST only, fetch) in a page, driven by the
// browser tests through window.flowchat.
import { initializeApp } from 'firebase/app';
import {
  Timestamp, collection, connectFirestoreEmulator, doc, getCount, getDoc, getDocs,
  getFirestore, limit, orderBy, query, runTransaction, serverTimestamp, setDoc, startAfter,
  updateDoc, where, writeBatch,
} from 'firebase/firestore/lite';
import { fromFirestore, outcome, toFirestore } from './values.js';

let db = null;
const value = data => toFirestore(data, { serverTimestamp, Timestamp });

function buildQuery(spec, cursor = null) {
  const parts = [];
  for (const [field, op, operand] of spec.where ?? []) parts.push(where(field, op, value(operand)));
  for (const [field, direction] of spec.orderBy ?? []) parts.push(orderBy(field, direction));
  if (spec.startAfter) parts.push(startAfter(...spec.startAfter.map(value)));
  if (cursor) parts.push(startAfter(cursor));
  if (spec.limit) parts.push(limit(spec.limit));
  return query(collection(db, spec.collection), ...parts);
}

window.flowchat = {
  open({ host, port, projectId, uid = null }) {
    const app = initializeApp({ projectId, apiKey: 'fake-api-key' }, `lite-${Math.random()}`);
    db = getFirestore(app);
    connectFirestoreEmulator(db, host, port, uid ? { mockUserToken: { sub: uid, user_id: uid } } : {});
    return true;
  },
  setDoc: (path, data) => outcome(() => setDoc(doc(db, path), value(data))),
  updateDoc: (path, data) => outcome(() => updateDoc(doc(db, path), value(data))),
  getDoc: path => outcome(async () => {
    const snapshot = await getDoc(doc(db, path));
    return { exists: snapshot.exists(), data: fromFirestore(snapshot.data() ?? null) };
  }),
  pages: (spec, size) => outcome(async () => {
    const pages = [];
    let cursor = null;
    for (let i = 0; i < 100; i++) {
      const snapshot = await getDocs(buildQuery({ ...spec, limit: size }, cursor));
      if (snapshot.empty) break;
      pages.push(snapshot.docs.map(d => d.id));
      cursor = snapshot.docs[snapshot.docs.length - 1];
    }
    return { pages };
  }),
  query: spec => outcome(async () => ({ ids: (await getDocs(buildQuery(spec))).docs.map(d => d.id) })),
  count: spec => outcome(async () => ({ count: (await getCount(buildQuery(spec))).data().count })),
  sendMessage: (roomId, messageId, uid, text) => outcome(() => {
    const batch = writeBatch(db);
    batch.set(doc(db, `rooms/${roomId}/messages/${messageId}`), {
      authorId: uid, kind: 'text', text, attachments: [], createdAt: serverTimestamp(),
      parentId: null });
    // Merged, taking a free rate-limit slot (docs/client-guide.md); in the seeded world
    // (tests/rules/world.py) slot0 is every user's free one.
    batch.set(doc(db, `rooms/${roomId}/rateLimits/${uid}`), {
      lastMessageAt: serverTimestamp(), lastMessageId: messageId, slot0: serverTimestamp() },
      { merge: true });
    return batch.commit();
  }),
  markRead: (roomId, messageId, uid) => outcome(() => runTransaction(db, async transaction => {
    const message = await transaction.get(doc(db, `rooms/${roomId}/messages/${messageId}`));
    if (!message.exists()) throw Object.assign(new Error('no such message'), { code: 'not-found' });
    transaction.set(doc(db, `rooms/${roomId}/receipts/${uid}`), {
      lastReadAt: message.data().createdAt, lastReadMessageId: messageId });
    return {};
  })),
};
