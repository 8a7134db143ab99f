// Timings of the web SDK against the emulator for bench/emulator_firestore.py: a writer and a
// listener (two SDK instances in one page, so one clock) and bulk reads and writes. Each
// operation terminates its instances: every open one holds up to two hanging back-channel
// requests, and Chromium allows six connections per host.
import { initializeApp } from 'firebase/app';
import {
  collection, connectFirestoreEmulator, doc, getDocsFromServer, initializeFirestore,
  onSnapshot, setDoc, terminate, writeBatch,
} from 'firebase/firestore';

function open({ host, port, projectId, uid, transport }) {
  const app = initializeApp({ projectId, apiKey: 'fake-api-key' }, `bench-${Math.random()}`);
  const db = initializeFirestore(app, transport === 'long-polling'
    ? { experimentalForceLongPolling: true } : { experimentalAutoDetectLongPolling: false });
  connectFirestoreEmulator(db, host, port, { mockUserToken: { sub: uid, user_id: uid } });
  return db;
}

window.flowchat = {
  // Milliseconds from each setDoc call to the other instance's listener seeing the document.
  async delivery(config, count) {
    const writer = open(config);
    const reader = open(config);
    const seen = new Map();
    let wake = null;
    const stop = onSnapshot(collection(reader, 'bench'), snapshot => {
      for (const change of snapshot.docChanges()) seen.set(change.doc.id, performance.now());
      if (wake) wake();
    });
    await new Promise(resolve => { wake = resolve; });  // the first (empty) snapshot
    const latencies = [];
    for (let i = 0; i < count; i++) {
      const id = `${config.transport}-d${i}`;
      const started = performance.now();
      const written = setDoc(doc(writer, 'bench', id), { n: i });
      while (!seen.has(id)) await new Promise(resolve => { wake = resolve; });
      latencies.push(seen.get(id) - started);
      await written;
    }
    stop();
    await Promise.all([terminate(writer), terminate(reader)]);
    return latencies;
  },
  // Documents per second of getDocsFromServer over a whole collection (a Listen target).
  async queryRate(config, collectionId) {
    const db = open(config);
    const started = performance.now();
    const snapshot = await getDocsFromServer(collection(db, collectionId));
    const seconds = (performance.now() - started) / 1000;
    await terminate(db);
    return { docs: snapshot.size, seconds };
  },
  // Documents per second written by batches of `size` over the Write stream.
  async batchRate(config, collectionId, batches, size) {
    const db = open(config);
    const started = performance.now();
    for (let b = 0; b < batches; b++) {
      const batch = writeBatch(db);
      for (let i = 0; i < size; i++) batch.set(doc(db, collectionId, `b${b}-${i}`), { n: i, b });
      await batch.commit();
    }
    const seconds = (performance.now() - started) / 1000;
    await terminate(db);
    return { docs: batches * size, seconds };
  },
};
