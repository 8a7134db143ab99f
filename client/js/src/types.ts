// Shapes of the documents clients read and write directly (docs/data-model.md).

import type { Timestamp } from "firebase/firestore";

import type { BlockSide } from "./errors.js";
import type { Attachment } from "./generated/api.js";

export type { Attachment };
export type AttachmentKind = Attachment["kind"];

export type MessageKind = "text" | "image" | "file";

/** What an app sends. */
export interface Draft {
  text: string;
  kind?: MessageKind;
  attachments?: Attachment[];
  /** The top-level message this one replies to (a thread). */
  parentId?: string;
  /** Member uids the message @mentions (at most MAX_MENTIONS, distinct). */
  mentions?: string[];
}

/** A message as read from rooms/{roomId}/messages/{id}. */
export interface Message {
  id: string;
  roomId: string;
  authorId: string;
  kind: MessageKind;
  text: string;
  attachments: Attachment[];
  /** null while the server has not stamped it yet (a pending local write). */
  createdAt: Timestamp | null;
  parentId?: string;
  editedAt?: Timestamp | null;
  deletedAt?: Timestamp | null;
  replyCount?: number;
  lastReplyAt?: Timestamp | null;
  /** Member uids the message @mentions (non-members are dropped by the backend). */
  mentions?: string[];
  /** {emoji: count}, kept by the backend's reaction trigger. */
  reactionCounts?: Record<string, number>;
  /** True while this client's write has not reached the server. */
  pending: boolean;
}

/** The room summary the message trigger keeps on rooms/{roomId}. */
export interface LastMessage {
  messageId: string;
  authorId: string;
  kind: MessageKind;
  text: string;
  createdAt: Timestamp | null;
  deleted: boolean;
}

/** One entry of the caller's room list. */
export interface RoomListEntry {
  roomId: string;
  kind: "group" | "direct";
  name: string | null;
  /** The other members of a direct room, when the sidebar entry lists them. */
  members?: string[];
  lastMessage: LastMessage | null;
  /** Messages newer than the caller's read receipt (capped at UNREAD_CAP). */
  unread: number;
  /** Hidden (archived) by the caller with rooms.hide; a new message shows it again. */
  hidden: boolean;
  /** A direct room under a block: "blocking" (you blocked them: read only) or "blocked"
   * (they blocked you: no access); null otherwise. */
  block: BlockSide | null;
}

export interface Receipt {
  lastReadMessageId: string;
  lastReadAt: Timestamp;
}

export interface Presence {
  online: boolean;
  /** Milliseconds since the epoch (server time) of the last session's end. */
  lastSeen: number | null;
}
