// The caller's rooms, live: name, last-message preview and unread count; pending
// invitations; hiding (archiving) a room and showing hidden ones; and the form to create a
// group or a direct room.

import { useState } from "react";

import { UNREAD_CAP, type RoomListEntry } from "@flowchat/client";

import { describe, useChat } from "./chat";
import { useFormAction } from "./formAction";
import { Invitations } from "./Invitations";
import { usePeople, type People } from "./people";
import { resolveUsernames, splitNames } from "./users";

export function roomTitle(room: Pick<RoomListEntry, "kind" | "name" | "members">,
                          people: People): string {
  if (room.name) return room.name;
  const others = (room.members ?? []).map(people.nameOf).filter((n) => n !== "You");
  return others.length ? others.join(", ") : "Direct message";
}

export function RoomList({ rooms, error, selected, onSelect }: {
  rooms: RoomListEntry[] | null;
  error: string | null;
  selected: string | null;
  onSelect: (roomId: string) => void;
}) {
  const chat = useChat();
  const [showHidden, setShowHidden] = useState(false);
  const [hideError, setHideError] = useState<string | null>(null);
  const visible = rooms?.filter((r) => !r.hidden) ?? null;
  const hidden = rooms?.filter((r) => r.hidden) ?? [];
  const setHidden = (roomId: string, hide: boolean) => {
    setHideError(null);
    (hide ? chat.rooms.hide(roomId) : chat.rooms.unhide(roomId))
      .catch((e: unknown) => setHideError(describe(e)));
  };

  return (
    <nav className="room-list" aria-label="Rooms">
      <Invitations onJoined={onSelect} />
      <h2>Rooms</h2>
      <NewRoom onCreated={onSelect} />
      {error && <p role="alert" className="error">{error}</p>}
      {hideError && <p role="alert" className="error">{hideError}</p>}
      {visible === null ? <p>Loading rooms…</p> : visible.length === 0 ? <p>No rooms yet.</p> : (
        <RoomEntries rooms={visible} selected={selected} onSelect={onSelect}
          onToggleHidden={(roomId) => setHidden(roomId, true)} />
      )}
      {hidden.length > 0 && (
        <button type="button" className="link" aria-expanded={showHidden}
          onClick={() => setShowHidden((s) => !s)}>
          {showHidden ? "Hide hidden rooms" : `Show hidden rooms (${hidden.length})`}
        </button>
      )}
      {showHidden && hidden.length > 0 && (
        <section aria-label="Hidden rooms">
          <RoomEntries rooms={hidden} selected={selected} onSelect={onSelect}
            onToggleHidden={(roomId) => setHidden(roomId, false)} />
        </section>
      )}
    </nav>
  );
}

function RoomEntries({ rooms, selected, onSelect, onToggleHidden }: {
  rooms: RoomListEntry[];
  selected: string | null;
  onSelect: (roomId: string) => void;
  onToggleHidden: (roomId: string) => void;
}) {
  const people = usePeople();
  return (
    <ul>
      {rooms.map((room) => {
        const title = roomTitle(room, people);
        const unread = room.unread >= UNREAD_CAP ? `${UNREAD_CAP - 1}+` : String(room.unread);
        const preview = room.block ? "Blocked"
          : room.lastMessage
            ? room.lastMessage.deleted ? "Message deleted" : room.lastMessage.text
            : "No messages yet";
        return (
          <li key={room.roomId} className="room-item">
            <button type="button" className="room-entry"
              aria-current={room.roomId === selected ? "true" : undefined}
              aria-label={`${title}${room.unread ? `, ${unread} unread` : ""}${room.block ? ", blocked" : ""}`}
              onClick={() => onSelect(room.roomId)}>
              <span className="room-name">{title}</span>
              {room.unread > 0 && <span className="badge" aria-hidden="true">{unread}</span>}
              <span className="preview" aria-hidden="true">{preview}</span>
            </button>
            <button type="button" className="hide-room" onClick={() => onToggleHidden(room.roomId)}
              aria-label={`${room.hidden ? "Unhide" : "Hide"} ${title}`}
              title={room.hidden ? "Show in the list again" : "Hide until a new message arrives"}>
              {room.hidden ? "Unhide" : "Hide"}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function NewRoom({ onCreated }: { onCreated: (roomId: string) => void }) {
  const chat = useChat();
  const people = usePeople();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<"group" | "direct">("group");
  const [name, setName] = useState("");
  const [members, setMembers] = useState("");
  const { submit, busy, error } = useFormAction(async () => {
    const found = await resolveUsernames(chat, splitNames(members));
    people.remember(found);
    const { roomId } = await chat.call("create_room", {
      kind, memberIds: found.map((u) => u.uid), ...(kind === "group" ? { name } : {}),
    });
    setOpen(false);
    setName("");
    setMembers("");
    onCreated(roomId);
  });

  if (!open) {
    return <button type="button" onClick={() => setOpen(true)}>New room</button>;
  }
  return (
    <form className="new-room" onSubmit={submit} aria-label="New room">
      <fieldset>
        <legend>Kind</legend>
        <label><input type="radio" name="kind" checked={kind === "group"}
          onChange={() => setKind("group")} /> Group</label>
        <label><input type="radio" name="kind" checked={kind === "direct"}
          onChange={() => setKind("direct")} /> Direct</label>
      </fieldset>
      {kind === "group" && (
        <label>Room name
          <input value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
        </label>
      )}
      <label>{kind === "group" ? "Members (usernames)" : "Username"}
        <input value={members} onChange={(e) => setMembers(e.target.value)}
          required={kind === "direct"} placeholder="bob, carol" />
      </label>
      {error && <p role="alert" className="error">{error}</p>}
      <div className="row">
        <button type="submit" disabled={busy}>Create room</button>
        <button type="button" onClick={() => setOpen(false)}>Cancel</button>
      </div>
    </form>
  );
}
