// Messages: send (checked, paced, idempotent, in order), live timeline, history pages,
// threads, edit and soft delete.

import {
  collection, doc, getDoc, getDocFromCache, getDocFromServer, getDocs, limit as limitTo, onSnapshot, orderBy,
  query, serverTimestamp, startAfter, updateDoc, where, writeBatch,
  type DocumentSnapshot, type QueryConstraint, type Timestamp,
} from "firebase/firestore";

import {
  checkDelete, checkDraft, checkEdit, checkMessageId, checkThreadParent,
} from "./checks.js";
import { explained, reportListenerError } from "./denial.js";
import { RateLimited } from "./errors.js";
import { MESSAGE_RATE, RATE_LIMIT_SLOTS } from "./limits.js";
import type { Member, Membership } from "./membership.js";
import { readMessage, toMessage } from "./message-docs.js";
import { SendQueue } from "./send-queue.js";
import type { Session } from "./session.js";
import type { Draft, Message } from "./types.js";

export type Unsubscribe = () => void;
export type OnError = (error: Error) => void;

/** Where the next (older) history page starts; opaque to apps. */
export interface HistoryCursor {
  readonly last: DocumentSnapshot;
}

export interface HistoryPage {
  /** Newest first. */
  messages: Message[];
  /** null when there is nothing older. */
  next: HistoryCursor | null;
}

export interface SendOptions {
  /** A client-chosen id (letters, digits, _ and -): sending it twice posts once. */
  id?: string;
}

const rethrow = (error: unknown): never => { throw error; };

export class Messages {
  readonly queue: SendQueue;

  constructor(private readonly session: Session, private readonly membership: Membership,
              queue?: SendQueue) {
    this.queue = queue ?? new SendQueue();
  }

  private get db() {
    return this.session.db;
  }

  private messagesOf(roomId: string) {
    return collection(this.db, "rooms", roomId, "messages");
  }

  /** A fresh id for a message, to pass as SendOptions.id (e.g. to show it before sending). */
  newId(roomId: string): string {
    return doc(this.messagesOf(roomId)).id;
  }

  /** Sends through the queue; resolves with the message id once the server has it. */
  async send(roomId: string, draft: Draft, options: SendOptions = {}): Promise<string> {
    const uid = this.session.requireUid();
    checkDraft(roomId, draft);
    if (options.id !== undefined) checkMessageId(options.id);
    await this.membership.requireUnmuted(roomId);
    if (draft.parentId !== undefined) {
      checkThreadParent(await this.parentOf(roomId, draft.parentId));
    }
    const id = options.id ?? this.newId(roomId);
    const messageRef = doc(this.messagesOf(roomId), id);
    const message: Record<string, unknown> = {
      authorId: uid, kind: draft.kind ?? "text", text: draft.text,
      attachments: draft.attachments ?? [], createdAt: serverTimestamp(),
    };
    // Explicit null on top-level messages: the rules require it (timeline queries need it).
    message.parentId = draft.parentId ?? null;
    if (draft.mentions?.length) message.mentions = draft.mentions;
    const attempt = (slot: number) => explained("send", async () => {
      const batch = writeBatch(this.db);
      batch.set(messageRef, message);
      batch.set(this.stampOf(roomId), rateStamp(id, slot), { merge: true });
      await batch.commit();
    }, () => this.explainSendDenial(roomId, id, draft));
    const landed = async () => {
      const snap = await getDocFromServer(messageRef);
      return snap.exists() && snap.get("authorId") === uid;
    };
    await this.queue.enqueue(roomId, attempt, landed, () => this.slotTimes(roomId));
    return id;
  }

  private stampOf(roomId: string) {
    return doc(this.db, "rooms", roomId, "rateLimits", this.session.requireUid());
  }

  /** When each slot of the caller's stamp in the room was taken (server ms; null: never). */
  private async slotTimes(roomId: string): Promise<(number | null)[]> {
    const stamp = await getDocFromServer(this.stampOf(roomId));
    return RATE_LIMIT_SLOTS.map((slot) => (stamp.get(slot) as Timestamp | undefined)?.toMillis() ?? null);
  }

  private async parentOf(roomId: string, parentId: string): Promise<Message> {
    return readMessage(this.db, roomId, parentId, (id) => this.membership.refuse(id));
  }

  private async explainSendDenial(roomId: string, id: string, draft: Draft): Promise<void> {
    await this.membership.requireUnmuted(roomId, true);
    if (await this.landedAlready(roomId, id)) return; // fell through to UnexpectedDenial
    const retryAfter = await this.rateLimitWait(roomId);
    if (retryAfter > 0) throw new RateLimited(retryAfter);
    if (draft.parentId !== undefined) checkThreadParent(await this.parentOf(roomId, draft.parentId));
  }

  private async landedAlready(roomId: string, id: string): Promise<boolean> {
    return (await getDocFromServer(doc(this.messagesOf(roomId), id))).exists();
  }

  /** How long until a slot of the caller's stamp in the room is free (0: one is). */
  private async rateLimitWait(roomId: string): Promise<number> {
    const times = await this.slotTimes(roomId);
    if (times.some((t) => t === null)) return 0;
    const oldest = Math.min(...(times as number[]));
    // Server time against the local clock: allow some skew before calling it unexplained.
    const wait = oldest + MESSAGE_RATE.windowMs - Date.now();
    return wait > -5000 ? Math.max(wait, 100) : 0;
  }

  /** One message of the room. */
  async get(roomId: string, messageId: string): Promise<Message> {
    this.session.requireUid();
    return readMessage(this.db, roomId, messageId, (id) => this.membership.refuse(id));
  }

  /** Live top-level messages, newest first (thread replies are left to `thread`). */
  listen(roomId: string, onMessages: (messages: Message[]) => void,
         options: { limit?: number; onError?: OnError } = {}): Unsubscribe {
    this.session.requireUid();
    // Top-level messages only, on the server: a busy thread cannot empty the page.
    const timeline = query(this.messagesOf(roomId), where("parentId", "==", null),
      orderBy("createdAt", "desc"), limitTo(options.limit ?? 50));
    // While a room is shown, its member document (role, mute) is followed for the checks.
    const unfollow = this.membership.follow(roomId);
    const stop = onSnapshot(timeline, { includeMetadataChanges: true }, (snap) => {
      onMessages(snap.docs.map((d) => toMessage(roomId, d)));
    }, (error) => this.listenerError(roomId, error, options.onError));
    return () => { stop(); unfollow(); };
  }

  /** A page of older history, newest first: top-level messages and replies alike, or with
   * `topLevel` only top-level ones (the timeline's "load older"; thread replies stay in
   * `thread`). Pass the previous page's `next` as `before` to go on. */
  async page(roomId: string, options: { before?: HistoryCursor | null; limit?: number;
                                        topLevel?: boolean } = {}): Promise<HistoryPage> {
    this.session.requireUid();
    const size = options.limit ?? 50;
    const constraints: QueryConstraint[] = options.topLevel ? [where("parentId", "==", null)] : [];
    constraints.push(orderBy("createdAt", "desc"));
    if (options.before) constraints.push(startAfter(options.before.last));
    constraints.push(limitTo(size));
    const snap = await getDocs(query(this.messagesOf(roomId), ...constraints))
      .catch((error) => this.readError(roomId, error));
    const last = snap.docs.at(-1);
    return {
      messages: snap.docs.map((d) => toMessage(roomId, d)),
      next: snap.docs.length === size && last ? { last } : null,
    };
  }

  /** The top-level messages just older than `oldest` (e.g. the oldest one `listen` shows),
   * newest first: "load older messages". Continue with `page(roomId, { before: next,
   * topLevel: true })`. */
  async olderThan(oldest: Message, options: { limit?: number } = {}): Promise<HistoryPage> {
    this.session.requireUid();
    const ref = doc(this.messagesOf(oldest.roomId), oldest.id);
    // The cursor is the document itself (ties in createdAt stay ordered), from the cache
    // when the timeline listener has it.
    const last = await getDocFromCache(ref).catch(() => getDoc(ref))
      .catch((error) => this.readError(oldest.roomId, error));
    return this.page(oldest.roomId, { before: { last }, limit: options.limit ?? 50, topLevel: true });
  }

  /** Live replies of a thread, oldest first. */
  thread(roomId: string, parentId: string, onReplies: (replies: Message[]) => void,
         options: { onError?: OnError } = {}): Unsubscribe {
    this.session.requireUid();
    const replies = query(this.messagesOf(roomId), where("parentId", "==", parentId),
      orderBy("createdAt"));
    return onSnapshot(replies, (snap) => onReplies(snap.docs.map((d) => toMessage(roomId, d))),
      (error) => this.listenerError(roomId, error, options.onError));
  }

  /** Changes the text of one's own message (within the edit window). */
  async edit(message: Message, text: string): Promise<void> {
    const uid = this.session.requireUid();
    // Membership first: "you cannot write here" (not a member, blocked, muted) is the cause
    // that holds whatever message is picked.
    await this.membership.requireUnmuted(message.roomId);
    checkEdit(message, uid, text, Date.now());
    await explained("edit", () => updateDoc(this.refOf(message),
      { text, editedAt: serverTimestamp() }), async () => {
      await this.membership.requireUnmuted(message.roomId, true);
      checkEdit(await this.get(message.roomId, message.id), uid, text, Date.now());
    });
  }

  /** Soft delete: text and attachments cleared; the document stays for threads and receipts.
   * The room's owners and admins delete anyone's message (recorded in deletedBy). */
  async remove(message: Message): Promise<void> {
    const uid = this.session.requireUid();
    if (message.deletedAt) checkDelete(message, uid, true);
    const mine = message.authorId === uid;
    const member = mine ? await this.membership.require(message.roomId)
      : await this.membership.memberOnServer(message.roomId);
    if (member === null && !mine) await this.membership.refuse(message.roomId);
    checkDelete(message, uid, isModerator(member));
    const change: Record<string, unknown> = { text: "", attachments: [], deletedAt: serverTimestamp() };
    if (!mine) change.deletedBy = uid;
    await explained("delete", () => updateDoc(this.refOf(message), change), async () => {
      const fresh = await this.membership.memberOnServer(message.roomId);
      if (fresh === null) await this.membership.refuse(message.roomId);
      checkDelete(await this.get(message.roomId, message.id), uid, isModerator(fresh));
    });
  }

  private refOf(message: Message) {
    return doc(this.messagesOf(message.roomId), message.id);
  }

  private async readError(roomId: string, error: unknown): Promise<never> {
    return rethrow(await this.membership.typedReadError(roomId, error));
  }

  private listenerError(roomId: string, error: Error, onError?: OnError): void {
    reportListenerError(this.membership, roomId, error, onError);
  }
}

const isModerator = (member: Member | null): boolean =>
  member !== null && (member.role === "owner" || member.role === "admin");

/** The rate-limit stamp merged in the same batch as message `id`, taking `slot`
 * (firestore.rules: isWithinRateLimit, takesOneFreeSlot). */
export function rateStamp(id: string, slot: number): Record<string, unknown> {
  const name = RATE_LIMIT_SLOTS[slot];
  if (name === undefined) throw new RangeError(`no rate-limit slot ${slot}`);
  return { lastMessageAt: serverTimestamp(), lastMessageId: id, [name]: serverTimestamp() };
}

