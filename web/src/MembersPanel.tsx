// Members of the open room with presence dots; admins add, remove, mute and ban members
// and change roles; anyone blocks or unblocks another member, sets the room's
// notification level, or leaves the room.

import { useCallback, useEffect, useState } from "react";

import type { Response } from "@flowchat/client";

import { describe, useChat } from "./chat";
import { useFormAction } from "./formAction";
import { usePeople } from "./people";
import { PresenceDot } from "./Presence";
import { resolveUsernames, splitNames } from "./users";

type Room = Response<"get_room">;
type Role = Room["members"][number]["role"];

export interface RoomDetails {
  room: Room | null;
  error: string | null;
  refresh: () => void;
}

/** get_room for the open room, fetched again on refresh(); its members' names remembered. */
export function useRoomDetails(roomId: string, enabled: boolean): RoomDetails {
  const chat = useChat();
  const people = usePeople();
  const [room, setRoom] = useState<Room | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  useEffect(() => {
    if (!enabled) return;
    let current = true;
    chat.call("get_room", { roomId }).then((found) => {
      if (!current) return;
      people.remember(found.members);
      setRoom(found);
      setError(null);
    }, (e: unknown) => { if (current) setError(describe(e)); });
    return () => { current = false; };
  }, [chat, roomId, enabled, generation]); // eslint-disable-line react-hooks/exhaustive-deps
  return { room, error, refresh };
}

export function MembersPanel({ details, onClose, disabled, block }: {
  details: RoomDetails;
  onClose: () => void;
  disabled: boolean;
  /** The room list's block flag of a direct room (the caller's side of a block). */
  block: "blocked" | "blocking" | null;
}) {
  const chat = useChat();
  const people = usePeople();
  const [error, setError] = useState<string | null>(null);
  // Whom the caller blocks: read back from the backend when the panel opens, then kept up
  // to date by this panel's own toggles (null until read; a toggle made before wins).
  const [toggled, setBlocked] = useState<Set<string> | null>(null);
  useEffect(() => {
    let current = true;
    chat.privacy.settings().then(
      (saved) => { if (current) setBlocked((mine) => mine ?? new Set(saved.blockedUserIds)); },
      (e: unknown) => { if (current) setError(describe(e)); },
    );
    return () => { current = false; };
  }, [chat]);
  // In a direct room the projected flag (live) says whether the caller blocks the other
  // member, whichever page or device set it.
  const other = details.room?.kind === "direct"
    ? details.room.members.find((m) => m.uid !== chat.uid)?.uid : undefined;
  const blocked = new Set([...(toggled ?? [])].filter((uid) => uid !== other));
  if (other && block === "blocking") blocked.add(other);
  const room = details.room;
  const myRole = room?.members.find((m) => m.uid === chat.uid)?.role;
  const isAdmin = myRole === "owner" || myRole === "admin";

  const act = (action: () => Promise<unknown>) => {
    setError(null);
    action().then(details.refresh, (e: unknown) => setError(describe(e)));
  };
  const [muted, setMuted] = useState<Set<string>>(new Set());
  const toggleMute = (uid: string) => act(async () => {
    if (!room) return;
    const until = muted.has(uid) ? null : new Date(Date.now() + 3600_000).toISOString();
    await chat.call("mute_member", { roomId: room.roomId, userId: uid, until });
    setMuted((m) => { const n = new Set(m); if (until) n.add(uid); else n.delete(uid); return n; });
  });
  const toggleBlock = (uid: string) => act(async () => {
    if (blocked.has(uid)) await chat.call("unblock_user", { userId: uid });
    else await chat.call("block_user", { userId: uid });
    setBlocked((b) => { const n = new Set(b ?? []); if (n.has(uid)) n.delete(uid); else n.add(uid); return n; });
  });

  return (
    <aside className="side-panel" aria-label="Members"
      onKeyDown={(e) => { if (e.key === "Escape") onClose(); }}>
      <header className="panel-header">
        <h3>Members</h3>
        <button type="button" onClick={onClose}>Close members</button>
      </header>
      {details.error && <p role="alert" className="error">{details.error}</p>}
      {room && (
        <ul className="members">
          {room.members.map((m) => {
            const name = people.nameOf(m.uid) === "You" ? `${m.displayName} (you)` : m.displayName;
            return (
              <li key={m.uid}>
                <PresenceDot uid={m.uid} name={m.displayName} />
                <span className="member-name">{name}</span>
                <span className="username">@{m.username}</span>
                {isAdmin && m.uid !== chat.uid && m.role !== "owner" && !disabled ? (
                  <>
                    <label className="visually-hidden" htmlFor={`role-${m.uid}`}>Role of {m.displayName}</label>
                    <select id={`role-${m.uid}`} value={m.role}
                      onChange={(e) => act(() => chat.call("set_role",
                        { roomId: room.roomId, userId: m.uid, role: e.target.value as Role }))}>
                      <option value="member">member</option>
                      <option value="admin">admin</option>
                    </select>
                    <button type="button" onClick={() => act(() => chat.call("remove_member",
                      { roomId: room.roomId, userId: m.uid }))}>Remove {m.displayName}</button>
                    <button type="button" onClick={() => toggleMute(m.uid)}>
                      {muted.has(m.uid) ? "Unmute" : "Mute for an hour"} {m.displayName}
                    </button>
                    <button type="button" onClick={() => act(() => chat.call("ban_member",
                      { roomId: room.roomId, userId: m.uid }))}>Ban {m.displayName}</button>
                  </>
                ) : <span className="role">{m.role}</span>}
                {m.uid !== chat.uid && (
                  <button type="button" onClick={() => toggleBlock(m.uid)}>
                    {blocked.has(m.uid) ? "Unblock" : "Block"} {m.displayName}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {room && isAdmin && room.kind === "group" && !disabled && <AddMember roomId={room.roomId} onAdded={details.refresh} />}
      {error && <p role="alert" className="error">{error}</p>}
      {room && !disabled && <NotificationLevel roomId={room.roomId} onError={setError} />}
      {room && room.kind === "group" && !disabled && (
        <button type="button" onClick={() => act(() => chat.call("leave_room", { roomId: room.roomId }))}>
          Leave room
        </button>
      )}
    </aside>
  );
}

function AddMember({ roomId, onAdded }: { roomId: string; onAdded: () => void }) {
  const chat = useChat();
  const people = usePeople();
  const [names, setNames] = useState("");
  const { submit, busy, error } = useFormAction(async () => {
    const found = await resolveUsernames(chat, splitNames(names));
    people.remember(found);
    await chat.call("add_members", { roomId, memberIds: found.map((u) => u.uid) });
    setNames("");
    onAdded();
  });
  return (
    <form onSubmit={submit} className="add-member">
      <label>Add member (username)
        <input value={names} onChange={(e) => setNames(e.target.value)} required />
      </label>
      <button type="submit" disabled={busy}>Add</button>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}

type Level = "all" | "mentions" | "none";

/** Which messages of this room notify the caller (push). */
function NotificationLevel({ roomId, onError }: { roomId: string; onError: (e: string) => void }) {
  const chat = useChat();
  const [level, setLevel] = useState<Level>("all");
  const change = (next: Level) => {
    const previous = level;
    setLevel(next);
    chat.call("set_notification_level", { roomId, level: next })
      .catch((e: unknown) => { setLevel(previous); onError(describe(e)); });
  };
  return (
    <label>Notifications
      <select value={level} onChange={(e) => change(e.target.value as Level)}>
        <option value="all">All messages</option>
        <option value="mentions">Mentions only</option>
        <option value="none">None</option>
      </select>
    </label>
  );
}
