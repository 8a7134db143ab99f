// Reactions: one per member per message (document id = the member's uid).

import {
  collection, deleteDoc, doc, onSnapshot, serverTimestamp, setDoc,
} from "firebase/firestore";

import { checkReaction } from "./checks.js";
import { explained, reportListenerError } from "./denial.js";
import type { Membership } from "./membership.js";
import { readMessage } from "./message-docs.js";
import type { OnError, Unsubscribe } from "./messages.js";
import type { Session } from "./session.js";
import type { Message } from "./types.js";

/** Who reacted with what: emoji -> uids. */
export type ReactionCounts = Map<string, string[]>;

export class Reactions {
  constructor(private readonly session: Session, private readonly membership: Membership) {}

  private mine(message: Message, uid: string) {
    return doc(this.session.db, "rooms", message.roomId, "messages", message.id, "reactions", uid);
  }

  /** Adds or changes the caller's reaction. */
  async react(message: Message, emoji: string): Promise<void> {
    const uid = this.session.requireUid();
    checkReaction(message, emoji);
    await this.membership.requireUnmuted(message.roomId);
    await explained("react", () => setDoc(this.mine(message, uid),
      { emoji, createdAt: serverTimestamp() }), async () => {
      await this.membership.requireUnmuted(message.roomId, true);
      checkReaction(await readMessage(this.session.db, message.roomId, message.id,
        (id) => this.membership.refuse(id)), emoji);
    });
  }

  /** Removes the caller's reaction (nothing happens if there is none). */
  async unreact(message: Message): Promise<void> {
    const uid = this.session.requireUid();
    await this.membership.require(message.roomId);
    await explained("unreact", () => deleteDoc(this.mine(message, uid)),
      async () => { await this.membership.require(message.roomId); });
  }

  /** Live reactions of one message. */
  listen(message: Pick<Message, "roomId" | "id">, onCounts: (counts: ReactionCounts) => void,
         options: { onError?: OnError } = {}): Unsubscribe {
    this.session.requireUid();
    const all = collection(this.session.db, "rooms", message.roomId, "messages", message.id, "reactions");
    return onSnapshot(all, (snap) => {
      const counts: ReactionCounts = new Map();
      for (const d of snap.docs) {
        const emoji = String(d.get("emoji"));
        counts.set(emoji, [...(counts.get(emoji) ?? []), d.id]);
      }
      onCounts(counts);
    }, (error) => reportListenerError(this.membership, message.roomId, error, options.onError));
  }
}
