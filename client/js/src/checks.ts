// Client-side mirrors of firestore.rules and database.rules.json: pure functions that throw
// the typed error the rules' refusal corresponds to, before anything is sent.

import {
  EditWindowClosed, EmptyMessage, InvalidAttachment, InvalidMessage, InvalidMessageId,
  InvalidPresence, InvalidReaction, MessageDeleted, MessageTooLong, NotTheAuthor, ThreadTooDeep,
} from "./errors.js";
import type { Attachment } from "./generated/api.js";
import { RULES_LIMITS } from "./generated/limits.js";
import {
  ALLOWED_REACTIONS, ATTACHMENT_KINDS, MAX_DIMENSION, CLOUDINARY_CLOUD, EDIT_WINDOW_HOURS, MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENT_NAME, MAX_ATTACHMENTS, MAX_CONTENT_TYPE, MAX_DEVICE_LENGTH, MAX_MENTIONS, MAX_TEXT_LENGTH,
  MAX_URL_LENGTH,
} from "./limits.js";
import type { Draft, Message, MessageKind } from "./types.js";

const KINDS: readonly MessageKind[] = ["text", "image", "file"];
const MESSAGE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const SAFE_ID = MESSAGE_ID;
const REQUIRED_KEYS = ["contentType", "kind", "name", "size", "url"];
const OPTIONAL_KEYS = ["height", "thumbUrl", "width"];
const CONTENT_TYPE = /^[a-z]+\/[A-Za-z0-9.+-]+$/;
const DOT_SEGMENT = new RegExp(`^(?:${RULES_LIMITS.dotSegment})$`);

/** isRoomFileUrl: a file of the configured cloud directly in the room's folder. */
export function isRoomFileUrl(roomId: string, url: unknown): boolean {
  if (typeof url !== "string" || url.length > MAX_URL_LENGTH || !SAFE_ID.test(roomId)) return false;
  const pattern = `^(?:${RULES_LIMITS.cloudinaryUrlPrefix}flowchat/rooms/${roomId}${RULES_LIMITS.cloudinaryFileName})$`;
  return new RegExp(pattern).test(url) && !DOT_SEGMENT.test(url);
}

/** Length as the rules count it: Unicode code points, not UTF-16 units. */
export const ruleLength = (text: string): number => [...text].length;

export function checkMessageId(id: string): void {
  if (!MESSAGE_ID.test(id)) throw new InvalidMessageId(id);
}

export function checkText(kind: MessageKind, text: unknown): void {
  if (typeof text !== "string") throw new InvalidMessage("text must be a string");
  const length = ruleLength(text);
  if (length > MAX_TEXT_LENGTH) throw new MessageTooLong(length, MAX_TEXT_LENGTH);
  if (kind === "text" && length === 0) throw new EmptyMessage();
}

const isDimension = (value: unknown): boolean =>
  value === undefined || (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_DIMENSION);

/** isValidAttachment of firestore.rules, for one attachment of a message to roomId. */
export function checkAttachment(roomId: string, kind: MessageKind, a: Attachment, index: number): void {
  const fail = (reason: string): never => { throw new InvalidAttachment(index, reason); };
  if (typeof a !== "object" || a === null) fail("must be an object");
  const keys = Object.keys(a);
  if (!REQUIRED_KEYS.every((k) => keys.includes(k))
      || !keys.every((k) => REQUIRED_KEYS.includes(k) || OPTIONAL_KEYS.includes(k))) {
    fail("must have kind, url, name, contentType, size and at most thumbUrl, width, height");
  }
  if (!(ATTACHMENT_KINDS as readonly string[]).includes(a.kind)) fail(`kind must be one of ${ATTACHMENT_KINDS.join(", ")}`);
  if (kind === "image" && a.kind !== "image") fail("an image message takes image attachments");
  if (!isRoomFileUrl(roomId, a.url)) {
    fail(`url must be a file in this room's folder of the Cloudinary cloud ${CLOUDINARY_CLOUD}`);
  }
  if (a.thumbUrl !== undefined && !isRoomFileUrl(roomId, a.thumbUrl)) {
    fail("thumbUrl must be a file in this room's folder");
  }
  if (typeof a.name !== "string" || ruleLength(a.name) < 1 || ruleLength(a.name) > MAX_ATTACHMENT_NAME) {
    fail(`name must have 1 to ${MAX_ATTACHMENT_NAME} characters`);
  }
  if (typeof a.contentType !== "string" || ruleLength(a.contentType) > MAX_CONTENT_TYPE
      || !CONTENT_TYPE.test(a.contentType)) {
    fail("contentType must be a MIME type such as image/png");
  }
  if (a.kind === "image" && !a.contentType.startsWith("image/")) fail("an image attachment has an image/* type");
  if (!Number.isInteger(a.size) || a.size < 0 || a.size > MAX_ATTACHMENT_BYTES) {
    fail(`size must be an integer from 0 to ${MAX_ATTACHMENT_BYTES}`);
  }
  if (!isDimension(a.width) || !isDimension(a.height)) fail(`width and height must be 1 to ${MAX_DIMENSION}`);
}

export function checkAttachments(roomId: string, kind: MessageKind, items: unknown): void {
  if (!Array.isArray(items)) throw new InvalidMessage("attachments must be a list");
  if (items.length > MAX_ATTACHMENTS) {
    throw new InvalidAttachment(MAX_ATTACHMENTS, `at most ${MAX_ATTACHMENTS} attachments`);
  }
  if (kind === "text" && items.length > 0) {
    throw new InvalidAttachment(0, "a text message carries no attachment (use kind image or file)");
  }
  if (kind !== "text" && items.length === 0) {
    throw new InvalidAttachment(0, `a ${kind} message needs 1 to ${MAX_ATTACHMENTS} attachments`);
  }
  items.forEach((a: Attachment, i) => checkAttachment(roomId, kind, a, i));
}

/** The shape checks of a new message (isValidNewMessage without the reads). */
export function checkDraft(roomId: string, draft: Draft): void {
  const kind = draft.kind ?? "text";
  if (!KINDS.includes(kind)) throw new InvalidMessage(`kind must be one of ${KINDS.join(", ")}`);
  checkText(kind, draft.text);
  checkAttachments(roomId, kind, draft.attachments ?? []);
  if (draft.parentId !== undefined) checkMessageId(draft.parentId);
  const mentions = draft.mentions ?? [];
  if (mentions.length > MAX_MENTIONS || new Set(mentions).size !== mentions.length) {
    throw new InvalidMessage(`mentions must be at most ${MAX_MENTIONS} distinct user ids`);
  }
  mentions.forEach(checkMessageId);
}

/** A thread reply's parent must be a live top-level message (threads are one level deep). */
export function checkThreadParent(parent: Message): void {
  if (parent.deletedAt) throw new MessageDeleted(parent.id);
  if (parent.parentId) throw new ThreadTooDeep(parent.id);
}

/** isTextEdit: the author, on a live message, within the edit window. */
export function checkEdit(message: Message, uid: string, text: string, nowMs: number): void {
  checkAuthorOfLive(message, uid);
  checkText(message.kind, text);
  const created = message.createdAt?.toMillis();
  if (created !== undefined && nowMs >= created + EDIT_WINDOW_HOURS * 3600_000) {
    throw new EditWindowClosed(message.id, EDIT_WINDOW_HOURS);
  }
}

/** The author, on a live message (edits). */
export function checkAuthorOfLive(message: Message, uid: string): void {
  if (message.authorId !== uid) throw new NotTheAuthor(message.id);
  if (message.deletedAt) throw new MessageDeleted(message.id);
}

/** isSoftDelete / isModeratorDelete: the author or a moderator of the room, once. */
export function checkDelete(message: Message, uid: string, moderator: boolean): void {
  if (message.authorId !== uid && !moderator) throw new NotTheAuthor(message.id);
  if (message.deletedAt) throw new MessageDeleted(message.id);
}

/** isValidReaction + isLiveMessage. */
export function checkReaction(message: Message, emoji: string): void {
  if (!ALLOWED_REACTIONS.includes(emoji)) throw new InvalidReaction(emoji, ALLOWED_REACTIONS);
  if (message.deletedAt) throw new MessageDeleted(message.id);
}

export function checkDevice(device: string): void {
  if (ruleLength(device) < 1 || device.length > MAX_DEVICE_LENGTH) {
    throw new InvalidPresence(`device must have 1 to ${MAX_DEVICE_LENGTH} characters`);
  }
}
