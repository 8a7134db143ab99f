// Search: people (search_users) and messages of the caller's rooms (search_messages).

import { useState, type FormEvent } from "react";

import type { Response } from "@flowchat/client";

import { describe, useChat } from "./chat";
import { usePeople } from "./people";

type Users = Response<"search_users">["users"];
type Messages = Response<"search_messages">["messages"];

export function SearchPanel({ onOpenRoom, onClose }: {
  onOpenRoom: (roomId: string) => void;
  onClose: () => void;
}) {
  const chat = useChat();
  const people = usePeople();
  const [query, setQuery] = useState("");
  const [users, setUsers] = useState<Users | null>(null);
  const [messages, setMessages] = useState<Messages | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");

  const search = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setStatus("Searching…");
    try {
      const [u, m] = await Promise.all([
        chat.searchUsers({ query, limit: 10 }),
        chat.searchMessages({ query, limit: 20 }),
      ]);
      people.remember(u.users);
      setUsers(u.users);
      setMessages(m.messages);
      setStatus(`${u.users.length} people, ${m.messages.length} messages`);
    } catch (e) {
      setError(describe(e));
      setStatus("");
    }
  };
  const directTo = async (uid: string) => {
    try {
      const { roomId } = await chat.call("create_room", { kind: "direct", memberIds: [uid] });
      onOpenRoom(roomId);
    } catch (e) {
      setError(describe(e));
    }
  };

  return (
    <section className="search" aria-label="Search"
      onKeyDown={(e) => { if (e.key === "Escape") onClose(); }}>
      <form role="search" onSubmit={search}>
        <label>Search people and messages
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)}
            required autoFocus />
        </label>
        <button type="submit">Search</button>
        <button type="button" onClick={onClose}>Close search</button>
      </form>
      <p aria-live="polite" className="status">{status}</p>
      {error && <p role="alert" className="error">{error}</p>}
      {users && (
        <>
          <h3>People</h3>
          <ul>
            {users.map((u) => (
              <li key={u.uid}>
                {u.displayName} <span className="username">@{u.username}</span>{" "}
                {u.uid !== chat.uid && (
                  <button type="button" onClick={() => void directTo(u.uid)}>
                    Message {u.displayName}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {messages && (
        <>
          <h3>Messages</h3>
          <ul>
            {messages.map((m) => (
              <li key={`${m.roomId}/${m.messageId}`}>
                <button type="button" className="link" onClick={() => onOpenRoom(m.roomId)}>
                  {people.nameOf(m.authorId)}: {m.text}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
