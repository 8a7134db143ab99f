// The open room: live timeline (newest at the bottom, announced politely), typing
// indicator, composer, "seen by" under the caller's latest message, a thread panel and the
// members panel. When the caller is removed, everything live stops and a notice says so.

import { useEffect, useMemo, useState } from "react";

import { NotAMember, seenBy, type Message, type RoomListEntry } from "@flowchat/client";

import { describe, useChat, useLive } from "./chat";
import { Composer } from "./Composer";
import { MembersPanel, useRoomDetails } from "./MembersPanel";
import { MessageItem } from "./MessageItem";
import { usePeople } from "./people";
import { roomTitle } from "./RoomList";
import { ThreadPanel } from "./ThreadPanel";

export function RoomView({ roomId, entry, wasListed, onBack }: {
  roomId: string;
  /** The room's entry in the caller's live room list (undefined when not, or not yet, in it). */
  entry: RoomListEntry | undefined;
  /** Whether the room was in the list since it was opened (so leaving it means removal). */
  wasListed: boolean;
  onBack: () => void;
}) {
  const chat = useChat();
  const people = usePeople();
  const [denied, setDenied] = useState(false);
  const [panel, setPanel] = useState<"members" | "thread" | null>(null);
  const [thread, setThread] = useState<Message | null>(null);
  // Live only once the room is in the caller's list: a room just created or joined is
  // readable once its membership has been projected, which the list entry signals.
  const live = entry !== undefined && !denied;
  const removed = wasListed && !live;
  const details = useRoomDetails(roomId, !removed);

  const onError = (error: Error) => {
    if (error instanceof NotAMember) setDenied(true);
    else console.warn(describe(error));
  };
  const messages = useLive<Message[]>([], (set) => live
    ? chat.messages.listen(roomId, (newestFirst) => set([...newestFirst].reverse()), { onError })
    : undefined, [roomId, live]);
  const readers = useLive(new Map(), (set) => live
    ? chat.receipts.listen(roomId, set, { onError }) : undefined, [roomId, live]);
  const typers = useLive<string[]>([], (set) => live
    ? chat.typing.watch(roomId, set, { onError }) : undefined, [roomId, live]);

  useMarkRead(messages, live);
  // Someone unknown wrote: their name comes with a fresh look at the members.
  const unknownAuthor = messages.some((m) => people.nameOf(m.authorId) === "Someone");
  useEffect(() => { if (unknownAuthor) details.refresh(); }, [unknownAuthor]); // eslint-disable-line

  const lastMine = useMemo(() => [...messages].reverse().find((m) => m.authorId === chat.uid),
    [messages, chat.uid]);
  const title = entry ? roomTitle(entry, people) : details.room?.name ?? "Room";

  return (
    <section className="room" aria-labelledby="room-title">
      <header className="room-header">
        <button type="button" className="back" onClick={onBack}>Back to rooms</button>
        <h2 id="room-title">{title}</h2>
        <button type="button" aria-expanded={panel === "members"}
          onClick={() => setPanel(panel === "members" ? null : "members")}>Members</button>
      </header>
      {removed ? (
        <div role="alert" className="notice">
          You were removed from {title}. You can no longer read or send messages here.
        </div>
      ) : !live ? (
        <p className="placeholder" role="status">Opening the room…</p>
      ) : (
        <>
          <ol className="timeline" role="log" aria-label="Messages" aria-live="polite">
            {messages.map((m) => (
              <li key={m.id}>
                <MessageItem message={m} onThread={(parent) => { setThread(parent); setPanel("thread"); }}
                  seenBy={m.id === lastMine?.id ? seenBy(readers, m) : undefined} />
              </li>
            ))}
          </ol>
          <p className="typing" aria-live="polite">
            {typers.length > 0 && `${typers.map(people.nameOf).join(", ")} ${typers.length === 1 ? "is" : "are"} typing…`}
          </p>
          <Composer roomId={roomId} label="Message" autoFocus />
        </>
      )}
      {panel === "thread" && thread && !removed && (
        <ThreadPanel parent={messages.find((m) => m.id === thread.id) ?? thread}
          onClose={() => setPanel(null)} />
      )}
      {panel === "members" && (
        <MembersPanel details={details} onClose={() => setPanel(null)} disabled={removed} />
      )}
    </section>
  );
}

/** Moves the caller's read receipt to the newest message while the page is visible. */
function useMarkRead(messages: Message[], live: boolean) {
  const chat = useChat();
  const newest = [...messages].reverse().find((m) => !m.pending && m.createdAt);
  const [visible, setVisible] = useState(document.visibilityState === "visible");
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === "visible");
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }, []);
  useEffect(() => {
    if (live && visible && newest) void chat.receipts.markRead(newest).catch(() => undefined);
  }, [chat, live, visible, newest?.id, newest?.createdAt?.toMillis()]); // eslint-disable-line
}
