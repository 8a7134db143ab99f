// The chat writes both SDK pages make, written once. Each page passes the functions of its
// SDK (firebase/firestore and firebase/firestore/lite export them under the same names).
import { fromFirestore } from './values.js';

// A chat message: the message and the author's rate-limit stamp in one batch, as the rules ask.
export function sendMessage(sdk, db, roomId, messageId, uid, text) {
  const { doc, serverTimestamp, writeBatch } = sdk;
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
}

// A read receipt moved to a message inside a transaction (read the message, write the receipt).
export function markRead(sdk, db, roomId, messageId, uid) {
  const { doc, runTransaction } = sdk;
  return runTransaction(db, async transaction => {
    const message = await transaction.get(doc(db, `rooms/${roomId}/messages/${messageId}`));
    if (!message.exists()) throw Object.assign(new Error('no such message'), { code: 'not-found' });
    transaction.set(doc(db, `rooms/${roomId}/receipts/${uid}`), {
      lastReadAt: message.data().createdAt, lastReadMessageId: messageId });
    return { createdAt: fromFirestore(message.data().createdAt) };
  });
}
