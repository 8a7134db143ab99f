// Plain JSON <-> Firestore values for the pages: {"$serverTimestamp": true} becomes
// serverTimestamp(), {"$timestamp": "<ISO>"} a Timestamp; read back the same way.
export function toFirestore(value, { serverTimestamp, Timestamp }) {
  if (Array.isArray(value)) return value.map(item => toFirestore(item, { serverTimestamp, Timestamp }));
  if (value && typeof value === 'object') {
    if (value.$serverTimestamp) return serverTimestamp();
    if (value.$timestamp) return Timestamp.fromDate(new Date(value.$timestamp));
    return Object.fromEntries(Object.entries(value).map(
      ([key, item]) => [key, toFirestore(item, { serverTimestamp, Timestamp })]));
  }
  return value;
}

export function fromFirestore(value) {
  if (Array.isArray(value)) return value.map(fromFirestore);
  if (value && typeof value.toDate === 'function') return { $timestamp: value.toDate().toISOString() };
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fromFirestore(item)]));
  }
  return value;
}

// An SDK failure as the tests compare it: the FirestoreError code ("permission-denied", ...).
export async function outcome(work) {
  try {
    const value = await work();
    return { ok: true, ...(value ?? {}) };
  } catch (error) {
    return { ok: false, code: error.code ?? 'no-code', message: String(error.message ?? error) };
  }
}
