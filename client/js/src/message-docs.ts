// Converting Firestore message documents to Message values, and reading one.

import {
  doc, getDoc, type DocumentSnapshot, type Firestore,
} from "firebase/firestore";

import { MessageNotFound } from "./errors.js";
import { isPermissionDenied } from "./membership.js";
import type { Message } from "./types.js";

export function toMessage(roomId: string, snap: DocumentSnapshot): Message {
  const d = snap.data({ serverTimestamps: "none" }) ?? {};
  const message: Message = {
    id: snap.id,
    roomId,
    authorId: d.authorId,
    kind: d.kind,
    text: d.text ?? "",
    attachments: d.attachments ?? [],
    createdAt: d.createdAt ?? null,
    pending: snap.metadata.hasPendingWrites,
  };
  for (const key of ["parentId", "editedAt", "deletedAt", "replyCount", "lastReplyAt", "mentions",
                     "reactionCounts"] as const) {
    if (d[key] !== undefined && d[key] !== null) (message as unknown as Record<string, unknown>)[key] = d[key];
  }
  return message;
}

/** One message; MessageNotFound if missing; a refused read is typed by `refuse` (the
 * membership's NotAMember or Blocked). */
export async function readMessage(db: Firestore, roomId: string, messageId: string,
                                  refuse: (roomId: string) => Promise<never>): Promise<Message> {
  let snap: DocumentSnapshot;
  try {
    snap = await getDoc(doc(db, "rooms", roomId, "messages", messageId));
  } catch (error) {
    if (isPermissionDenied(error)) return refuse(roomId);
    throw error;
  }
  if (!snap.exists()) throw new MessageNotFound(roomId, messageId);
  return toMessage(roomId, snap);
}
