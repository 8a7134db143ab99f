// The one place that turns the rules' constants into the client's pacing and check
// parameters. When the rules' rate limit changes, regenerate generated/limits.ts and adapt
// only this file.

import { RULES_LIMITS } from "./generated/limits.js";

/** A sliding window: at most `slots` messages within any `windowMs`. */
export interface RateLimit {
  slots: number;
  windowMs: number;
}

/** The stamp's slot fields (rooms/{roomId}/rateLimits/{uid}), one server time each. */
export const RATE_LIMIT_SLOTS: readonly string[] = RULES_LIMITS.rateLimitSlots;

/** Per member and room, as firestore.rules' rate-limit stamp enforces it. */
export const MESSAGE_RATE: RateLimit = {
  slots: RATE_LIMIT_SLOTS.length,
  windowMs: RULES_LIMITS.rateLimitWindowSeconds * 1000,
};

export const MAX_TEXT_LENGTH = RULES_LIMITS.maxTextLength;
export const MAX_MENTIONS = RULES_LIMITS.maxMentions;
export const MAX_ATTACHMENTS = 4;
export const MAX_ATTACHMENT_BYTES = RULES_LIMITS.maxAttachmentBytes;
export const MAX_ATTACHMENT_NAME = 255;
export const MAX_CONTENT_TYPE = 127;
export const MAX_URL_LENGTH = 2048;
export const CLOUDINARY_CLOUD = RULES_LIMITS.cloudinaryCloudName;
/** The rules' isFileUrlIn(url, folder) pieces (functions/flowchat/media_urls.py renders them
 * into firestore.rules): everything before the folder, then one file segment. */
export const CLOUDINARY_URL_PREFIX: string = RULES_LIMITS.cloudinaryUrlPrefix;
export const CLOUDINARY_FILE_NAME: string = RULES_LIMITS.cloudinaryFileName;
export const ATTACHMENT_KINDS = ["image", "video", "document", "other"] as const;
export const MAX_DIMENSION = 100_000;
export const ALLOWED_REACTIONS: readonly string[] = RULES_LIMITS.allowedReactions;
export const EDIT_WINDOW_HOURS = 24;
/** database.rules.json: status/{uid}/connections/{id}/device. */
export const MAX_DEVICE_LENGTH = 64;
/** How long a typing entry counts as "typing" for watchers. */
export const TYPING_FRESH_MS = 6000;
/** Refresh the typing entry at most this often while keys are pressed. */
export const TYPING_REFRESH_MS = 3000;
/** Stop typing after this long without a keystroke. */
export const TYPING_IDLE_MS = 4000;
/** database.rules.json: session ids s0 ... s9. */
export const MAX_PRESENCE_SESSIONS = 10;
/** Presence heartbeat; well under the backend's PRESENCE_STALE_SECONDS (300 s). */
export const PRESENCE_HEARTBEAT_MS = 60_000;
