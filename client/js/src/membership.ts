// What the client knows about its own memberships: the live room list (users/{uid}/rooms)
// when it is being listened to, otherwise one read of rooms/{roomId}/members/{uid}.

import { doc, getDocFromServer } from "firebase/firestore";

import { NotAMember } from "./errors.js";
import type { Session } from "./session.js";

export const isPermissionDenied = (error: unknown): boolean => {
  const code = String((error as { code?: unknown })?.code ?? "");
  return code === "permission-denied" || code === "PERMISSION_DENIED"
    || /permission[_ -]denied/i.test(String((error as { message?: unknown })?.message ?? ""));
};

export class Membership {
  /** Room ids from the live room list; null until a room-list listener delivered. */
  private live: Set<string> | null = null;

  constructor(private readonly session: Session) {}

  /** Called by the room list listener with every snapshot. */
  update(roomIds: Iterable<string> | null): void {
    this.live = roomIds === null ? null : new Set(roomIds);
  }

  /** Whether the caller is a member now, asking the server (the rules' own check). */
  async isMemberOnServer(roomId: string): Promise<boolean> {
    const uid = this.session.requireUid();
    try {
      return (await getDocFromServer(doc(this.session.db, "rooms", roomId, "members", uid))).exists();
    } catch (error) {
      if (isPermissionDenied(error)) return false; // members only: a refusal means "no"
      throw error;
    }
  }

  /** NotAMember unless the caller belongs to the room. */
  async require(roomId: string): Promise<void> {
    this.session.requireUid();
    const member = this.live ? this.live.has(roomId) : await this.isMemberOnServer(roomId);
    if (!member) throw new NotAMember(roomId);
  }
}
