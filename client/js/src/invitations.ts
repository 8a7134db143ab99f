// Invitations to group rooms: someone whose add the caller's add policy did not allow
// directly (set_add_policy) invited them. Pending ones are users/{uid}/invitations/{roomId},
// live and readable only by the invitee; accepting or declining goes through the callables.

import { collection, onSnapshot, type Timestamp } from "firebase/firestore";

import type { Call, Response } from "./callables.js";
import type { OnError, Unsubscribe } from "./messages.js";
import type { Session } from "./session.js";

/** One pending invitation (docs/data-model.md). */
export interface Invitation {
  roomId: string;
  roomName: string;
  /** Who invited the caller (null if that account is gone). */
  invitedBy: string | null;
  invitedByName: string | null;
  invitedAt: Timestamp | null;
}

export class Invitations {
  constructor(private readonly session: Session, private readonly call: Call) {}

  /** The caller's pending invitations, live, newest first. */
  listen(onInvitations: (invitations: Invitation[]) => void,
         options: { onError?: OnError } = {}): Unsubscribe {
    const uid = this.session.requireUid();
    return onSnapshot(collection(this.session.db, "users", uid, "invitations"), (snap) => {
      const all = snap.docs.map((d): Invitation => ({
        roomId: d.id,
        roomName: String(d.get("roomName") ?? ""),
        invitedBy: (d.get("invitedBy") as string | null | undefined) ?? null,
        invitedByName: (d.get("invitedByName") as string | null | undefined) ?? null,
        invitedAt: (d.get("invitedAt") as Timestamp | null | undefined) ?? null,
      }));
      const at = (i: Invitation) => i.invitedAt?.toMillis() ?? 0;
      onInvitations(all.sort((a, b) => at(b) - at(a)));
    }, (error) => { if (options.onError) options.onError(error); else console.warn(error); });
  }

  /** Joins the room (it then appears in the room list). */
  accept(roomId: string): Promise<Response<"accept_invitation">> {
    return this.call("accept_invitation", { roomId });
  }

  /** Declines: no access, nothing left of the invitation. */
  decline(roomId: string): Promise<Response<"decline_invitation">> {
    return this.call("decline_invitation", { roomId });
  }
}
