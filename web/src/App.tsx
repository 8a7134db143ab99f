// Signed out: the sign-in screen. Signed in: room list + the open room (one at a time on a
// phone-sized screen), with presence announced for as long as the page is open.

import { useEffect, useRef, useState } from "react";

import type { RoomListEntry } from "@flowchat/client";

import { describe, useChat, useLive } from "./chat";
import { PeopleContext, usePeopleStore } from "./people";
import { RoomList } from "./RoomList";
import { RoomView } from "./RoomView";
import { SearchPanel } from "./SearchPanel";
import { Settings } from "./Settings";
import { SignIn } from "./SignIn";

export function App() {
  const chat = useChat();
  const [uid, setUid] = useState<string | null | undefined>(undefined);
  const people = usePeopleStore(uid ? { uid, username: "", displayName: "You" } : null);

  useEffect(() => chat.onAuthChange(setUid), [chat]);
  useEffect(() => {
    if (uid) chat.presence.start({ device: "web" });
  }, [chat, uid]);

  if (uid === undefined) return <p className="loading">Loading…</p>;
  if (uid === null) return <SignIn />;
  return (
    <PeopleContext.Provider value={people}>
      <Chat key={uid} />
    </PeopleContext.Provider>
  );
}

function Chat() {
  const chat = useChat();
  const [openRoom, setOpenRoom] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);
  const [settings, setSettings] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const rooms = useLive<RoomListEntry[] | null>(null, (set) =>
    chat.rooms.listen(set, { onError: (e) => setError(describe(e)) }), [chat]);
  // Rooms seen in the list since they were opened: dropping out of it then means removal.
  const listed = useRef(new Set<string>());
  const entry = rooms?.find((r) => r.roomId === openRoom);
  if (entry) listed.current.add(entry.roomId);

  const open = (roomId: string | null) => {
    listed.current.clear();
    setOpenRoom(roomId);
  };
  return (
    <div className={`shell ${openRoom ? "room-open" : ""}`}>
      <header className="topbar">
        <h1>FlowChat</h1>
        <button type="button" onClick={() => { setSearching((s) => !s); setSettings(false); }}
          aria-expanded={searching}>
          Search
        </button>
        <button type="button" onClick={() => { setSettings((s) => !s); setSearching(false); }}
          aria-expanded={settings}>
          Settings
        </button>
        <button type="button" onClick={() => void chat.signOut()}>Sign out</button>
      </header>
      {searching && (
        <SearchPanel onOpenRoom={(roomId) => { open(roomId); setSearching(false); }}
          onClose={() => setSearching(false)} />
      )}
      {settings && <Settings onClose={() => setSettings(false)} />}
      <RoomList rooms={rooms} error={error} selected={openRoom} onSelect={open} />
      <main className="room-pane" aria-label="Conversation">
        {openRoom
          ? <RoomView key={openRoom} roomId={openRoom} entry={entry}
              wasListed={listed.current.has(openRoom)} onBack={() => open(null)} />
          : <p className="placeholder">Pick a room or create one.</p>}
      </main>
    </div>
  );
}
