// The official web SDK (WebChannel streams + REST unary calls) in a page, driven by the
// browser tests through window.flowchat. One page is one signed-in user (or nobody).
import { initializeApp } from 'firebase/app';
import {
  Timestamp, collection, connectFirestoreEmulator, doc, getCountFromServer, getDocFromServer,
  getDocsFromServer, initializeFirestore, limit, onSnapshot, orderBy, query, runTransaction,
  serverTimestamp, setDoc, startAfter, terminate, updateDoc, where, writeBatch,
} from 'firebase/firestore';
import { markRead, sendMessage } from './chat_writes.js';
import { fromFirestore, outcome, toFirestore } from './values.js';

// The SDK's default (since v10) is auto-detection: stream, and fall back to long-polling
// when the first back-channel bytes are slow (a buffering proxy, or a loaded machine).
const TRANSPORTS = {
  streaming: { experimentalAutoDetectLongPolling: false },
  'long-polling': { experimentalForceLongPolling: true },
  'auto-detect': {},
};

let db = null;
const listeners = new Map();  // name -> {stop, events}
const sdk = { serverTimestamp, Timestamp };
const writes = { doc, runTransaction, serverTimestamp, writeBatch };
const value = data => toFirestore(data, sdk);

function buildQuery(spec) {
  const parts = [];
  for (const [field, op, operand] of spec.where ?? []) parts.push(where(field, op, value(operand)));
  for (const [field, direction] of spec.orderBy ?? []) parts.push(orderBy(field, direction));
  if (spec.startAfter) parts.push(startAfter(...spec.startAfter.map(value)));
  if (spec.limit) parts.push(limit(spec.limit));
  return query(collection(db, spec.collection), ...parts);
}

function record(snapshot) {
  return {
    ids: snapshot.docs.map(d => d.id),
    fromCache: snapshot.metadata.fromCache,
    changes: snapshot.docChanges().map(change => [change.type, change.doc.id]),
  };
}

window.flowchat = {
  open({ host, port, projectId, uid = null, transport = 'auto-detect' }) {
    const app = initializeApp({ projectId, apiKey: 'fake-api-key', appId: 'flowchat-test' },
                              `app-${Math.random()}`);
    db = initializeFirestore(app, TRANSPORTS[transport]);
    connectFirestoreEmulator(db, host, port, uid ? { mockUserToken: { sub: uid, user_id: uid } } : {});
    return true;
  },
  setDoc: (path, data, options = {}) => outcome(() => setDoc(doc(db, path), value(data), options)),
  updateDoc: (path, data) => outcome(() => updateDoc(doc(db, path), value(data))),
  getDocFromServer: path => outcome(async () => {
    const snapshot = await getDocFromServer(doc(db, path));
    return { exists: snapshot.exists(), data: fromFirestore(snapshot.data() ?? null) };
  }),
  query: spec => outcome(async () => {
    const snapshot = await getDocsFromServer(buildQuery(spec));
    return { ids: snapshot.docs.map(d => d.id), fromCache: snapshot.metadata.fromCache };
  }),
  // Pages through a query with startAfter(last document) until it is exhausted.
  pages: (spec, size) => outcome(async () => {
    const pages = [];
    let cursor = null;
    for (let i = 0; i < 100; i++) {
      const parts = [buildQuery(spec), ...(cursor ? [startAfter(cursor)] : []), limit(size)];
      const snapshot = await getDocsFromServer(query(...parts));
      if (snapshot.empty) break;
      pages.push(snapshot.docs.map(d => d.id));
      cursor = snapshot.docs[snapshot.docs.length - 1];
    }
    return { pages };
  }),
  count: spec => outcome(async () => ({ count: (await getCountFromServer(buildQuery(spec))).data().count })),
  sendMessage: (roomId, messageId, uid, text) =>
    outcome(() => sendMessage(writes, db, roomId, messageId, uid, text)),
  markRead: (roomId, messageId, uid) => outcome(() => markRead(writes, db, roomId, messageId, uid)),
  listen(name, spec) {
    const events = [];
    const target = spec.doc ? doc(db, spec.doc) : buildQuery(spec);
    // With metadata changes: the step from the cache to the server is an event of its own.
    const stop = onSnapshot(target, { includeMetadataChanges: true },
      snapshot => events.push(spec.doc
        ? { exists: snapshot.exists(), data: fromFirestore(snapshot.data() ?? null),
            fromCache: snapshot.metadata.fromCache }
        : record(snapshot)),
      error => events.push({ error: error.code }));
    listeners.set(name, { stop, events });
    return true;
  },
  events: name => listeners.get(name)?.events ?? null,
  unlisten(name) {
    listeners.get(name)?.stop();
    listeners.delete(name);
    return true;
  },
  terminate: () => outcome(() => terminate(db)),
};
