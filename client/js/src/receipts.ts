// Read receipts: one watermark per member, only moving forward; "seen by" from the others'.

import {
  collection, doc, getDocFromServer, onSnapshot, setDoc, Timestamp,
} from "firebase/firestore";

import { explained, reportListenerError } from "./denial.js";
import type { Membership } from "./membership.js";
import type { OnError, Unsubscribe } from "./messages.js";
import type { RoomSeqs } from "./room-seqs.js";
import type { Session } from "./session.js";
import type { Message } from "./types.js";

export class Receipts {
  /** The watermark this client knows per room (what it wrote or read last). */
  private readonly marked = new Map<string, Timestamp>();

  constructor(private readonly session: Session, private readonly membership: Membership,
              private readonly seqs: RoomSeqs) {}

  /** The caller's own watermark in a room (null if none yet). */
  async own(roomId: string): Promise<Timestamp | null> {
    const uid = this.session.requireUid();
    try {
      const snap = await getDocFromServer(doc(this.session.db, "rooms", roomId, "receipts", uid));
      const at = snap.get("lastReadAt") as Timestamp | undefined;
      if (at) this.marked.set(roomId, at);
      const seq = snap.get("lastReadSeq") as number | undefined;
      if (typeof seq === "number") this.seqs.read.set(roomId, seq);
      return at ?? null;
    } catch (error) {
      throw await this.membership.typedReadError(roomId, error);
    }
  }

  /** Moves the watermark to `message` if it is newer; false when skipped (older, or the
   * message is not on the server yet), which the rules would refuse. */
  async markRead(message: Message): Promise<boolean> {
    const uid = this.session.requireUid();
    if (message.pending || !message.createdAt) return false;
    const roomId = message.roomId;
    await this.membership.require(roomId);
    const known = this.marked.has(roomId) ? this.marked.get(roomId)! : await this.own(roomId);
    if (known && message.createdAt.toMillis() <= known.toMillis()) return false;
    // The room's messageSeq goes with a read of its last message (the unread badge); merged,
    // so a lastReadSeq written before stays (the rules never let it move back).
    const seq = this.seqs.seqFor(roomId, message.id);
    const receipt: Record<string, unknown> = { lastReadMessageId: message.id, lastReadAt: message.createdAt };
    if (seq !== undefined) receipt.lastReadSeq = seq;
    await explained("markRead", () => setDoc(doc(this.session.db, "rooms", roomId, "receipts", uid),
      receipt, { merge: true }),
      async () => { await this.membership.require(roomId); });
    this.marked.set(roomId, message.createdAt);
    if (seq !== undefined) this.seqs.read.set(roomId, seq);
    return true;
  }

  /** Live watermarks of every member of the room: uid -> lastReadAt. */
  listen(roomId: string, onReaders: (readers: Map<string, Timestamp>) => void,
         options: { onError?: OnError } = {}): Unsubscribe {
    this.session.requireUid();
    return onSnapshot(collection(this.session.db, "rooms", roomId, "receipts"), (snap) => {
      onReaders(new Map(snap.docs.map((d) => [d.id, d.get("lastReadAt") as Timestamp])));
    }, (error) => reportListenerError(this.membership, roomId, error, options.onError));
  }
}

/** Members (other than the author) whose watermark is at or after the message. */
export function seenBy(readers: Map<string, Timestamp>, message: Message): string[] {
  const at = message.createdAt?.toMillis();
  if (at === undefined) return [];
  return [...readers].filter(([who, t]) => who !== message.authorId && t.toMillis() >= at)
    .map(([who]) => who);
}
