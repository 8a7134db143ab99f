// Pending invitations to group rooms (live): accept to join and open the room, or decline.

import { useState } from "react";

import type { Invitation } from "@flowchat/client";

import { describe, useChat, useLive } from "./chat";

export function Invitations({ onJoined }: { onJoined: (roomId: string) => void }) {
  const chat = useChat();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const invitations = useLive<Invitation[]>([], (set) =>
    chat.invitations.listen(set, { onError: (e) => setError(describe(e)) }), [chat]);
  if (invitations.length === 0 && !error) return null;

  const answer = async (invitation: Invitation, accept: boolean) => {
    setBusy(invitation.roomId);
    setError(null);
    try {
      if (accept) {
        await chat.invitations.accept(invitation.roomId);
        onJoined(invitation.roomId);
      } else {
        await chat.invitations.decline(invitation.roomId);
      }
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="invitations" aria-labelledby="invitations-title">
      <h2 id="invitations-title">Invitations <span className="badge">{invitations.length}</span></h2>
      {error && <p role="alert" className="error">{error}</p>}
      <ul>
        {invitations.map((i) => (
          <li key={i.roomId}>
            <span className="room-name">{i.roomName}</span>
            <span className="preview">from {i.invitedByName ?? "someone"}</span>
            <div className="row">
              <button type="button" disabled={busy === i.roomId}
                aria-label={`Accept invitation to ${i.roomName}`}
                onClick={() => void answer(i, true)}>Accept</button>
              <button type="button" disabled={busy === i.roomId}
                aria-label={`Decline invitation to ${i.roomName}`}
                onClick={() => void answer(i, false)}>Decline</button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
