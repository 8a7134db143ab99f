// What the client knows about its own memberships: the live room list (users/{uid}/rooms)
// when it is listened to, the member documents of rooms it follows (role, mute, block), and
// otherwise one read of rooms/{roomId}/members/{uid}. A direct room under a block (the
// backend's `block` flag on the member document and on the sidebar entry): the blocked
// user cannot read their member document at all, so a refused read is explained from
// their own sidebar entry (users/{uid}/rooms/{roomId}, always readable by them).

import { doc, getDocFromServer, onSnapshot, type Timestamp } from "firebase/firestore";

import { Blocked, Muted, NotAMember, type BlockSide } from "./errors.js";
import type { Session } from "./session.js";

export type Role = "owner" | "admin" | "member";

/** The caller's member document of one room (projected by the backend). */
export interface Member {
  role: Role;
  mutedUntil: Timestamp | null;
  /** In a direct room under a block: "blocking" (the caller blocked the other member: reads
   * only) or "blocked" (the other member blocked the caller: no access at all). */
  block: BlockSide | null;
}

export const isPermissionDenied = (error: unknown): boolean => {
  const code = String((error as { code?: unknown })?.code ?? "");
  return code === "permission-denied" || code === "PERMISSION_DENIED"
    || /permission[_ -]denied/i.test(String((error as { message?: unknown })?.message ?? ""));
};

const memberOf = (data: Record<string, unknown> | undefined): Member | null =>
  data ? {
    role: data.role as Role, mutedUntil: (data.mutedUntil as Timestamp | null) ?? null,
    block: blockOf(data.block),
  } : null;

const blockOf = (value: unknown): BlockSide | null =>
  value === "blocked" || value === "blocking" ? value : null;

export class Membership {
  /** Room ids of the live room list with their block flag; null until a room-list
   * listener delivered. */
  private live: Map<string, BlockSide | null> | null = null;
  /** Member documents of followed rooms (null: not a member), with their listeners. */
  private readonly followed = new Map<string, { member: Member | null | undefined; count: number; stop: () => void }>();

  constructor(private readonly session: Session) {}

  /** Called by the room list listener with every snapshot: [roomId, its `block` field]. */
  update(entries: Iterable<readonly [string, unknown]> | null): void {
    this.live = entries === null ? null
      : new Map([...entries].map(([roomId, block]) => [roomId, blockOf(block)]));
  }

  /** Keeps the caller's member document of a room current until the returned stop. */
  follow(roomId: string): () => void {
    const uid = this.session.requireUid();
    let entry = this.followed.get(roomId);
    if (!entry) {
      const created = { member: undefined as Member | null | undefined, count: 0, stop: () => {} };
      created.stop = onSnapshot(doc(this.session.db, "rooms", roomId, "members", uid),
        (snap) => { created.member = memberOf(snap.data()); },
        (error) => { if (isPermissionDenied(error)) created.member = null; });
      this.followed.set(roomId, created);
      entry = created;
    }
    entry.count += 1;
    const followed = entry;
    return () => {
      followed.count -= 1;
      if (followed.count === 0) { followed.stop(); this.followed.delete(roomId); }
    };
  }

  /** The caller's member document, asking the server (the rules' own check). */
  async memberOnServer(roomId: string): Promise<Member | null> {
    const uid = this.session.requireUid();
    try {
      return memberOf((await getDocFromServer(doc(this.session.db, "rooms", roomId, "members", uid))).data());
    } catch (error) {
      if (isPermissionDenied(error)) return null; // members only: a refusal means "no"
      throw error;
    }
  }

  async isMemberOnServer(roomId: string): Promise<boolean> {
    return (await this.memberOnServer(roomId)) !== null;
  }

  /** The block flag of the caller's own sidebar entry of the room (null: none, or no entry). */
  async blockOnServer(roomId: string): Promise<BlockSide | null> {
    const uid = this.session.requireUid();
    try {
      const entry = await getDocFromServer(doc(this.session.db, "users", uid, "rooms", roomId));
      return blockOf(entry.get("block"));
    } catch (error) {
      if (isPermissionDenied(error)) return null;
      throw error;
    }
  }

  /** Why the rules refuse the caller a read of the room: Blocked when the direct room is
   * under a block (their sidebar entry says so: the blocked user reads nothing, the blocker
   * no typing), else NotAMember. */
  async denial(roomId: string): Promise<Blocked | NotAMember> {
    const known = this.live?.get(roomId);
    const block = known !== undefined ? known : await this.blockOnServer(roomId);
    return block !== null ? new Blocked(roomId, block) : new NotAMember(roomId);
  }

  /** Throws what `denial` finds. */
  async refuse(roomId: string): Promise<never> {
    throw await this.denial(roomId);
  }

  /** A permission-denied of a read becomes Blocked or NotAMember; other errors pass. */
  async typedReadError(roomId: string, error: unknown): Promise<unknown> {
    return isPermissionDenied(error) ? this.denial(roomId) : error;
  }

  /** What is known without a read: the followed member document, else the room list. */
  private known(roomId: string): Member | null | "member" | undefined {
    const followed = this.followed.get(roomId)?.member;
    if (followed !== undefined) return followed;
    if (this.live) return this.live.has(roomId) ? "member" : null;
    return undefined;
  }

  /** The block flag of a room the caller can read, from what is known. */
  private blockIn(roomId: string, member: Member | null): BlockSide | null {
    return member ? member.block : this.live?.get(roomId) ?? null;
  }

  /** NotAMember (or Blocked) unless the caller may read the room; the member document
   * when known. */
  async require(roomId: string): Promise<Member | null> {
    this.session.requireUid();
    let known = this.known(roomId);
    if (known === undefined) known = await this.memberOnServer(roomId);
    if (known === null) return this.refuse(roomId);
    const member = known === "member" ? null : known;
    if (this.blockIn(roomId, member) === "blocked") throw new Blocked(roomId, "blocked");
    return member;
  }

  /** As require, and Blocked in a direct room under a block either way (for writes that
   * add: messages, edits, reactions, typing). */
  async requireUnblocked(roomId: string, fresh = false): Promise<Member | null> {
    const member = fresh ? await this.memberOnServer(roomId) : await this.require(roomId);
    if (member === null && fresh) return this.refuse(roomId);
    const block = this.blockIn(roomId, member);
    if (block !== null) throw new Blocked(roomId, block);
    return member;
  }

  /** As requireUnblocked, and Muted while a moderator's mute lasts (sends, edits, reactions). */
  async requireUnmuted(roomId: string, fresh = false): Promise<Member | null> {
    const member = await this.requireUnblocked(roomId, fresh);
    const until = member?.mutedUntil?.toMillis();
    if (until !== undefined && until > Date.now()) throw new Muted(roomId, until);
    return member;
  }
}
