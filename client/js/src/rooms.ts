// The caller's room list, live: users/{uid}/rooms, each with a preview of the room's last
// message and an unread count. With the backend's counters (rooms/{roomId}.messageSeq and
// lastMessage, kept by the message trigger, and the receipt's lastReadSeq) the count is
// messageSeq - lastReadSeq, without a query; otherwise it counts others' messages newer than
// the receipt on the server, up to UNREAD_CAP (two count queries per change).

import {
  collection, doc, getCountFromServer, getDocFromServer, limit, onSnapshot, orderBy, query,
  where, type DocumentData, type Timestamp,
} from "firebase/firestore";

import type { Call, Response } from "./callables.js";
import { toMessage } from "./message-docs.js";
import type { RoomSeqs } from "./room-seqs.js";

import type { Membership } from "./membership.js";
import type { OnError, Unsubscribe } from "./messages.js";
import type { Session } from "./session.js";
import type { LastMessage, Message, RoomListEntry } from "./types.js";

/** Unread counts stop at this (a UI shows "99+"). */
export const UNREAD_CAP = 100;

interface Tracked {
  entry: RoomListEntry;
  stop: Unsubscribe;
}

export class Rooms {
  constructor(private readonly session: Session, private readonly membership: Membership,
              private readonly seqs: RoomSeqs, private readonly call: Call) {}

  /** Hides (archives) a room in the caller's list; the next new message shows it again.
   * Entries stay in `listen`'s list with `hidden: true` (an app filters or groups them). */
  hide(roomId: string): Promise<Response<"hide_room">> {
    return this.call("hide_room", { roomId, hidden: true });
  }

  /** Shows a hidden room in the list again. */
  unhide(roomId: string): Promise<Response<"hide_room">> {
    return this.call("hide_room", { roomId, hidden: false });
  }

  /** Live room list, most recent activity first; also keeps the membership checks current. */
  listen(onRooms: (rooms: RoomListEntry[]) => void, options: { onError?: OnError } = {}): Unsubscribe {
    const uid = this.session.requireUid();
    const tracked = new Map<string, Tracked>();
    const emit = () => onRooms(sortByActivity([...tracked.values()].map((t) => t.entry)));
    const onError = options.onError ?? ((error: Error) => console.warn(error));
    const stopList = onSnapshot(collection(this.session.db, "users", uid, "rooms"), (snap) => {
      this.membership.update(snap.docs.map((d) => [d.id, d.get("block")] as const));
      for (const [roomId, t] of tracked) {
        if (!snap.docs.some((d) => d.id === roomId)) { t.stop(); tracked.delete(roomId); }
      }
      for (const d of snap.docs) {
        const previous = tracked.get(d.id);
        const entry = entryOf(d.id, d.data(), previous?.entry);
        if (previous) previous.entry = entry;
        else tracked.set(d.id, { entry, stop: this.followRoom(d.id, tracked, emit) });
      }
      emit();
    }, onError);
    return () => {
      stopList();
      for (const t of tracked.values()) t.stop();
      this.membership.update(null);
    };
  }

  /** Follows the room's newest message (the preview) and the caller's receipt; recounts
   * unread messages when either changes. Independent of the backend's triggers. */
  private followRoom(roomId: string, tracked: Map<string, Tracked>, emit: () => void): Unsubscribe {
    const db = this.session.db;
    const uid = this.session.requireUid();
    let since: Timestamp | null | undefined; // undefined until the receipt listener delivered
    let readSeq: number | undefined; // the receipt's lastReadSeq (0 without a receipt)
    let summary: LastMessage | null = null; // the trigger's lastMessage (top-level only)
    let counting = 0;
    const set = (change: Partial<RoomListEntry>) => {
      const t = tracked.get(roomId);
      if (t) { t.entry = { ...t.entry, ...change }; emit(); }
    };
    const recount = () => {
      if (since === undefined) return;
      const room = this.seqs.rooms.get(roomId);
      if (room && readSeq !== undefined) { // the backend's counters: no query at all
        set({ unread: Math.min(UNREAD_CAP, Math.max(0, room.seq - readSeq)) });
        return;
      }
      const ticket = ++counting;
      void this.countNewer(roomId, since).then((unread) => {
        if (ticket === counting) set({ unread });
      }).catch(() => undefined); // removed meanwhile: the list listener drops the room
    };
    const stopRoom = onSnapshot(doc(db, "rooms", roomId), (snap) => {
      summary = (snap.get("lastMessage") as LastMessage | undefined) ?? null;
      const seq = snap.get("messageSeq") as number | undefined;
      if (typeof seq === "number") {
        this.seqs.rooms.set(roomId, { seq, lastMessageId: summary?.messageId ?? null });
      }
      if (summary) set({ lastMessage: summary });
      recount();
    }, () => undefined);
    // Without the trigger's summary (not deployed, or no message yet): the newest message.
    const newest = query(collection(db, "rooms", roomId, "messages"), orderBy("createdAt", "desc"),
      limit(1));
    const stopNewest = onSnapshot(newest, (snap) => {
      const d = snap.docs[0];
      if (!summary) set({ lastMessage: d ? previewOf(toMessage(roomId, d)) : null });
      recount();
    }, () => undefined);
    const stopReceipt = onSnapshot(doc(db, "rooms", roomId, "receipts", uid), (snap) => {
      since = (snap.get("lastReadAt") as Timestamp | undefined) ?? null;
      const seq = snap.get("lastReadSeq") as number | undefined;
      readSeq = !snap.exists() ? 0 : seq;
      if (typeof seq === "number") this.seqs.read.set(roomId, seq);
      recount();
    }, () => undefined);
    return () => { stopRoom(); stopNewest(); stopReceipt(); };
  }

  /** Messages newer than the caller's receipt in a room, counted up to UNREAD_CAP. */
  async refreshUnread(roomId: string): Promise<number> {
    const uid = this.session.requireUid();
    const receipt = await getDocFromServer(doc(this.session.db, "rooms", roomId, "receipts", uid));
    return this.countNewer(roomId, (receipt.get("lastReadAt") as Timestamp | undefined) ?? null);
  }

  /** Others' messages newer than `since`: all newer ones less the caller's own (two count
   * queries; the second uses the (authorId, createdAt) index of firestore.indexes.json). */
  private async countNewer(roomId: string, since: Timestamp | null): Promise<number> {
    const uid = this.session.requireUid();
    const messages = collection(this.session.db, "rooms", roomId, "messages");
    const newer = since ? [where("createdAt", ">", since)] : [];
    const [all, own] = await Promise.all([
      getCountFromServer(query(messages, ...newer, limit(UNREAD_CAP))),
      getCountFromServer(query(messages, where("authorId", "==", uid), ...newer, limit(UNREAD_CAP))),
    ]);
    return Math.max(0, all.data().count - own.data().count);
  }
}

function entryOf(roomId: string, d: DocumentData, previous?: RoomListEntry): RoomListEntry {
  const entry: RoomListEntry = {
    roomId, kind: d.kind, name: d.name ?? null,
    lastMessage: previous?.lastMessage ?? null, unread: previous?.unread ?? 0,
    hidden: d.hidden === true,
    block: d.block === "blocked" || d.block === "blocking" ? d.block : null,
  };
  if (Array.isArray(d.members)) entry.members = d.members;
  return entry;
}

function sortByActivity(entries: RoomListEntry[]): RoomListEntry[] {
  const at = (e: RoomListEntry) => e.lastMessage?.createdAt?.toMillis() ?? 0;
  return entries.sort((a, b) => at(b) - at(a) || a.roomId.localeCompare(b.roomId));
}

/** Characters of text a preview keeps (as the backend's room summary does). */
export const PREVIEW_CHARS = 140;

function previewOf(m: Message): LastMessage {
  const deleted = Boolean(m.deletedAt);
  return {
    messageId: m.id, authorId: m.authorId, kind: m.kind, createdAt: m.createdAt, deleted,
    text: deleted ? "" : [...m.text].slice(0, PREVIEW_CHARS).join(""),
  };
}
