// Typed errors. Each rule-level refusal the client can predict has its own class, raised
// before anything is sent, so an app can tell "slow down" from "your code is wrong";
// a server denial the checks did not predict is an UnexpectedDenial (a bug to look at).

/** Base class of every error this package raises. */
export class FlowChatError extends Error {
  /** A stable, machine-readable name, e.g. "message-too-long". */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** No user is signed in (the rules refuse every read and write). */
export class NotSignedIn extends FlowChatError {
  constructor(message = "sign in first") {
    super("not-signed-in", message);
  }
}

/** The caller is not (or no longer) a member of the room. */
export class NotAMember extends FlowChatError {
  constructor(readonly roomId: string) {
    super("not-a-member", `not a member of room ${roomId}`);
  }
}

/** Which side of a block the caller is on: "blocking" (the caller blocked the other member
 * of the direct room: they still read it) or "blocked" (the other member blocked the caller:
 * no access at all). */
export type BlockSide = "blocked" | "blocking";

/** A block between the caller and the other user of a direct room forbids this. */
export class Blocked extends FlowChatError {
  constructor(readonly roomId: string, readonly side: BlockSide) {
    super("blocked", side === "blocking"
      ? `you blocked the other member of room ${roomId}: unblock them to write here`
      : `the other member of room ${roomId} blocked you`);
  }
}

/** A moderator muted the caller in this room until mutedUntil (ms since the epoch). */
export class Muted extends FlowChatError {
  constructor(readonly roomId: string, readonly mutedUntil: number) {
    super("muted", `muted in room ${roomId} until ${new Date(mutedUntil).toISOString()}`);
  }
}

/** Sending faster than the room's rate limit allows; retry after retryAfterMs. */
export class RateLimited extends FlowChatError {
  constructor(readonly retryAfterMs: number) {
    super("rate-limited", `sending too fast: retry in ${Math.ceil(retryAfterMs)} ms`);
  }
}

/** The text is longer than the rules allow. */
export class MessageTooLong extends FlowChatError {
  constructor(readonly length: number, readonly max: number) {
    super("message-too-long", `text has ${length} characters, at most ${max} are allowed`);
  }
}

/** A text message without text. */
export class EmptyMessage extends FlowChatError {
  constructor() {
    super("empty-message", "a text message needs some text");
  }
}

/** The message's kind or its combination with attachments is not one the rules accept. */
export class InvalidMessage extends FlowChatError {
  constructor(message: string) {
    super("invalid-message", message);
  }
}

/** An attachment breaks the rules' shape: URL outside the cloud, size, type, name, count. */
export class InvalidAttachment extends FlowChatError {
  constructor(readonly index: number, readonly reason: string) {
    super("invalid-attachment", `attachment ${index}: ${reason}`);
  }
}

/** A message id of characters the rules refuse (they are interpolated into paths). */
export class InvalidMessageId extends FlowChatError {
  constructor(readonly messageId: string) {
    super("invalid-message-id", `not a valid message id: ${JSON.stringify(messageId)}`);
  }
}

/** The message does not exist in this room. */
export class MessageNotFound extends FlowChatError {
  constructor(readonly roomId: string, readonly messageId: string) {
    super("message-not-found", `no message ${messageId} in room ${roomId}`);
  }
}

/** The message was soft-deleted: no edits, reactions, replies or second delete. */
export class MessageDeleted extends FlowChatError {
  constructor(readonly messageId: string) {
    super("message-deleted", `message ${messageId} was deleted`);
  }
}

/** Only the author edits a message; only the author or a moderator deletes it. */
export class NotTheAuthor extends FlowChatError {
  constructor(readonly messageId: string) {
    super("not-the-author", `only the author may change message ${messageId}`);
  }
}

/** Edits are allowed within the edit window after sending (24 hours). */
export class EditWindowClosed extends FlowChatError {
  constructor(readonly messageId: string, readonly windowHours: number) {
    super("edit-window-closed", `message ${messageId} is older than ${windowHours} hours`);
  }
}

/** Threads are one level deep: a reply cannot have replies. */
export class ThreadTooDeep extends FlowChatError {
  constructor(readonly parentId: string) {
    super("thread-too-deep", `message ${parentId} is itself a reply`);
  }
}

/** The reaction is not one of the allowed emoji. */
export class InvalidReaction extends FlowChatError {
  constructor(readonly emoji: string, readonly allowed: readonly string[]) {
    super("invalid-reaction", `${emoji} is not one of ${allowed.join(" ")}`);
  }
}

/** Typing or presence data the Realtime Database rules refuse (e.g. a device name too long). */
export class InvalidPresence extends FlowChatError {
  constructor(message: string) {
    super("invalid-presence", message);
  }
}

/** The server refused what the client-side checks allowed: a gap in the checks, or a race. */
export class UnexpectedDenial extends FlowChatError {
  constructor(readonly operation: string, cause: unknown) {
    super("unexpected-denial", `the server refused ${operation}, which the client's checks allowed`,
      { cause });
  }
}

/** A callable answered with an error: its code (e.g. "invalid-argument"), message, details. */
export class CallableError<Code extends string = string> extends FlowChatError {
  constructor(
    readonly callable: string,
    readonly status: Code,
    message: string,
    readonly details: unknown,
  ) {
    super(`callable/${status}`, `${callable}: ${message}`);
  }
}
