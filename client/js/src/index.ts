// @flowchat/client: the typed FlowChat client on the official firebase web SDK.

export { FlowChat } from "./client.js";
export { optionsFromStack } from "./config.js";
export type { Emulators, Endpoint, FlowChatOptions, StackFile } from "./config.js";
export * from "./errors.js";
export { CALLABLE_NAMES, isCallableError } from "./callables.js";
export type { Call, CallableName, Callables, ErrorCode, Request, Response } from "./callables.js";
export * from "./generated/api.js";
export { MESSAGE_RATE, ALLOWED_REACTIONS, MAX_MENTIONS, MAX_TEXT_LENGTH } from "./limits.js";
export type { RateLimit } from "./limits.js";
export { SendQueue } from "./send-queue.js";
export { UploadError } from "./uploads.js";
export type { UploadProgress, UploadSource } from "./uploads.js";
export type { HistoryCursor, HistoryPage, OnError, SendOptions, Unsubscribe } from "./messages.js";
export { seenBy } from "./receipts.js";
export { UNREAD_CAP } from "./rooms.js";
export type { Invitation } from "./invitations.js";
export { ADD_POLICIES } from "./privacy.js";
export type { AddPolicy } from "./privacy.js";
export { mentionedNames, mentions, mentionsIn } from "./mentions.js";
export type { ReactionCounts } from "./reactions.js";
export type { PresenceOptions } from "./presence.js";
export type * from "./types.js";
