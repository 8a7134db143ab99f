// The lite SDK (firebase/firestore/lite: REST only, fetch) in a page, driven by the
// browser tests through window.flowchat.
import { initializeApp } from 'firebase/app';
import {
  Timestamp, collection, connectFirestoreEmulator, doc, getCount, getDoc, getDocs,
  getFirestore, limit, orderBy, query, runTransaction, serverTimestamp, setDoc, startAfter,
  updateDoc, where, writeBatch,
} from 'firebase/firestore/lite';
import { markRead, sendMessage } from './chat_writes.js';
import { fromFirestore, outcome, toFirestore } from './values.js';

let db = null;
const writes = { doc, runTransaction, serverTimestamp, writeBatch };
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
  sendMessage: (roomId, messageId, uid, text) =>
    outcome(() => sendMessage(writes, db, roomId, messageId, uid, text)),
  markRead: (roomId, messageId, uid) => outcome(() => markRead(writes, db, roomId, messageId, uid)),
};
