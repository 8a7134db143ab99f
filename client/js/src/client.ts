// FlowChat: the one object an app holds. Sign-in, typed callables, and the live parts.

import { onAuthStateChanged } from "firebase/auth";

import { callOver, type Call, type Request, type Response } from "./callables.js";
import type { FlowChatOptions } from "./config.js";
import { callablesOf } from "./generated/api.js";
import { Invitations } from "./invitations.js";
import { Membership } from "./membership.js";
import { Messages } from "./messages.js";
import { Presence } from "./presence.js";
import { Privacy } from "./privacy.js";
import { Reactions } from "./reactions.js";
import { Receipts } from "./receipts.js";
import { RoomSeqs } from "./room-seqs.js";
import { Rooms } from "./rooms.js";
import { ServerClock } from "./server-clock.js";
import { Session } from "./session.js";
import { TypingIndicator } from "./typing.js";
import { Uploads } from "./uploads.js";
import type { Draft } from "./types.js";

export class FlowChat {
  readonly session: Session;
  /** Calls any callable with its typed request; resolves with its typed response. */
  readonly call: Call;
  /** The same, one function per callable: `chat.api.createRoom({...})`. */
  readonly api: ReturnType<typeof callablesOf>;
  readonly membership: Membership;
  readonly messages: Messages;
  readonly reactions: Reactions;
  readonly receipts: Receipts;
  readonly rooms: Rooms;
  /** Pending invitations to group rooms, live; accept or decline. */
  readonly invitations: Invitations;
  /** Blocks and the add policy. */
  readonly privacy: Privacy;
  readonly typing: TypingIndicator;
  readonly presence: Presence;
  /** Files to Cloudinary: `uploadFile` (checked server-side) or `uploadDirect` (signed). */
  readonly uploads: Uploads;
  private readonly clock: ServerClock;

  constructor(options: FlowChatOptions) {
    this.session = new Session(options);
    this.call = callOver(this.session.functions);
    this.api = callablesOf(this.call);
    this.membership = new Membership(this.session);
    this.messages = new Messages(this.session, this.membership);
    this.reactions = new Reactions(this.session, this.membership);
    const seqs = new RoomSeqs();
    this.receipts = new Receipts(this.session, this.membership, seqs);
    this.rooms = new Rooms(this.session, this.membership, seqs, this.call);
    this.invitations = new Invitations(this.session, this.call);
    this.privacy = new Privacy(this.call);
    this.clock = new ServerClock(this.session);
    this.typing = new TypingIndicator(this.session, this.membership, this.clock);
    this.presence = new Presence(this.session);
    this.uploads = new Uploads(this.session, this.call, options);
  }

  /** The signed-in user's uid, or null. */
  get uid(): string | null {
    return this.session.uid;
  }

  /** Creates an account and signs in with it; resolves with the uid. */
  async register(request: Request<"register">): Promise<string> {
    const { customToken } = await this.call("register", request);
    return this.session.signInWithCustomToken(customToken);
  }

  /** Checks the password and signs in; resolves with the uid. */
  async login(request: Request<"login">): Promise<string> {
    const { customToken } = await this.call("login", request);
    return this.session.signInWithCustomToken(customToken);
  }

  /** Ends presence and typing, then signs out. */
  async signOut(): Promise<void> {
    await this.typing.stopAll().catch(() => undefined);
    await this.presence.end().catch(() => undefined);
    await this.session.signOut();
  }

  /** Calls back with the uid on every sign-in and null on sign-out. */
  onAuthChange(callback: (uid: string | null) => void): () => void {
    return onAuthStateChanged(this.session.auth, (user) => callback(user?.uid ?? null));
  }

  /** Sends a text message (through the paced, idempotent send queue). */
  send(roomId: string, text: string,
       options: { parentId?: string; id?: string; mentions?: string[] } = {}): Promise<string> {
    const draft: Draft = { text };
    if (options.parentId !== undefined) draft.parentId = options.parentId;
    if (options.mentions !== undefined) draft.mentions = options.mentions; // member uids, <= 10
    return this.messages.send(roomId, draft, options.id === undefined ? {} : { id: options.id });
  }

  /** Users by username or display name. */
  searchUsers(request: Request<"search_users">): Promise<Response<"search_users">> {
    return this.call("search_users", request);
  }

  /** Messages of the caller's rooms (or one room) matching a full-text query. */
  searchMessages(request: Request<"search_messages">): Promise<Response<"search_messages">> {
    return this.call("search_messages", request);
  }

  /** Closes every connection; the client cannot be used afterwards. */
  async close(): Promise<void> {
    this.clock.close();
    await this.session.close();
  }
}
