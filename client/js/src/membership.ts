// What the client knows about its own memberships: the live room list (users/{uid}/rooms)
// when it is listened to, the member documents of rooms it follows (role, mute), and
// otherwise one read of rooms/{roomId}/members/{uid}.

import { doc, getDocFromServer, onSnapshot, type Timestamp } from "firebase/firestore";

import { Muted, NotAMember } from "./errors.js";
import type { Session } from "./session.js";

export type Role = "owner" | "admin" | "member";

/** The caller's member document of one room (projected by the backend). */
export interface Member {
  role: Role;
  mutedUntil: Timestamp | null;
}

export const isPermissionDenied = (error: unknown): boolean => {
  const code = String((error as { code?: unknown })?.code ?? "");
  return code === "permission-denied" || code === "PERMISSION_DENIED"
    || /permission[_ -]denied/i.test(String((error as { message?: unknown })?.message ?? ""));
};

const memberOf = (data: Record<string, unknown> | undefined): Member | null =>
  data ? { role: data.role as Role, mutedUntil: (data.mutedUntil as Timestamp | null) ?? null } : null;

export class Membership {
  /** Room ids from the live room list; null until a room-list listener delivered. */
  private live: Set<string> | null = null;
  /** Member documents of followed rooms (null: not a member), with their listeners. */
  private readonly followed = new Map<string, { member: Member | null | undefined; count: number; stop: () => void }>();

  constructor(private readonly session: Session) {}

  /** Called by the room list listener with every snapshot. */
  update(roomIds: Iterable<string> | null): void {
    this.live = roomIds === null ? null : new Set(roomIds);
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

  /** What is known without a read: the followed member document, else the room list. */
  private known(roomId: string): Member | null | "member" | undefined {
    const followed = this.followed.get(roomId)?.member;
    if (followed !== undefined) return followed;
    if (this.live) return this.live.has(roomId) ? "member" : null;
    return undefined;
  }

  /** NotAMember unless the caller belongs to the room; the member document when known. */
  async require(roomId: string): Promise<Member | null> {
    this.session.requireUid();
    let known = this.known(roomId);
    if (known === undefined) known = await this.memberOnServer(roomId);
    if (known === null) throw new NotAMember(roomId);
    return known === "member" ? null : known;
  }

  /** As require, and Muted while a moderator's mute lasts (for sends, edits, reactions). */
  async requireUnmuted(roomId: string, fresh = false): Promise<Member | null> {
    const member = fresh ? await this.memberOnServer(roomId) : await this.require(roomId);
    if (member === null && fresh) throw new NotAMember(roomId);
    const until = member?.mutedUntil?.toMillis();
    if (until !== undefined && until > Date.now()) throw new Muted(roomId, until);
    return member;
  }
}
