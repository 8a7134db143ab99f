// The open room: live timeline (newest at the bottom, announced politely), typing
// indicator, composer, "seen by" under the caller's latest message, a thread panel and the
// members panel; "load older messages" above the live window. When the caller is removed,
// everything live stops and a notice says so; in a direct room under a block a notice says
// who blocked whom and the composer gives way to it.

import { useEffect, useMemo, useRef, useState } from "react";

import {
  Blocked, NotAMember, seenBy, type HistoryCursor, type Message, type RoomListEntry,
} from "@flowchat/client";

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
  const [blockedOut, setBlockedOut] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [dropped, setDropped] = useState<File | null>(null);
  const [panel, setPanel] = useState<"members" | "thread" | null>(null);
  const [thread, setThread] = useState<Message | null>(null);
  // Live only once the room is in the caller's list: a room just created or joined is
  // readable once its membership has been projected, which the list entry signals.
  // The other member blocked the caller: no access at all (the list entry says so, or the
  // client's Blocked from a refused listener).
  const blockedByThem = entry?.block === "blocked" || blockedOut;
  // An unblock (the entry's flag gone) opens the room again.
  useEffect(() => { if (entry && !entry.block) setBlockedOut(false); }, [entry?.block]); // eslint-disable-line
  const live = entry !== undefined && !denied && !blockedByThem;
  const removed = wasListed && !live && !blockedByThem;
  const details = useRoomDetails(roomId, !removed);

  const onError = (error: Error) => {
    if (error instanceof Blocked) {
      if (error.side === "blocked") setBlockedOut(true); // the blocker only loses typing
    } else if (error instanceof NotAMember) setDenied(true);
    else console.warn(describe(error));
  };
  // Typing (RTDB) is withdrawn from both sides of a block, possibly before the room list
  // says so: its refusal only empties the typing line (removal shows through the list).
  const onTypingError = (error: Error) => {
    if (!(error instanceof Blocked || error instanceof NotAMember)) console.warn(describe(error));
  };
  const recent = useLive<Message[]>([], (set) => live
    ? chat.messages.listen(roomId, (newestFirst) => set([...newestFirst].reverse()), { onError })
    : undefined, [roomId, live]);
  const history = useOlderMessages(recent);
  const messages = history.messages;
  const readers = useLive(new Map(), (set) => live
    ? chat.receipts.listen(roomId, set, { onError }) : undefined, [roomId, live]);
  const typers = useLive<string[]>([], (set) => live
    ? chat.typing.watch(roomId, set, { onError: onTypingError }) : undefined, [roomId, live]);

  useMarkRead(messages, live);
  // Someone unknown wrote: their name comes with a fresh look at the members.
  const unknownAuthor = messages.some((m) => people.nameOf(m.authorId) === "Someone");
  useEffect(() => { if (unknownAuthor) details.refresh(); }, [unknownAuthor]); // eslint-disable-line

  const lastMine = useMemo(() => [...messages].reverse().find((m) => m.authorId === chat.uid),
    [messages, chat.uid]);
  const title = entry ? roomTitle(entry, people) : details.room?.name ?? "Room";
  const other = entry?.members?.find((uid) => uid !== chat.uid);
  const otherName = other ? people.nameOf(other) : "this person";
  const members = useMemo(() => (details.room?.members ?? []).filter((m) => m.uid !== chat.uid),
    [details.room, chat.uid]);
  const [unblockError, setUnblockError] = useState<string | null>(null);
  const unblock = () => {
    if (!other) return;
    setUnblockError(null);
    chat.privacy.unblock(other).catch((e: unknown) => setUnblockError(describe(e)));
  };

  return (
    <section className={`room ${dragging ? "dragging" : ""}`} aria-labelledby="room-title"
      onDragOver={(e) => {
        if (!live || !e.dataTransfer.types.includes("Files")) return;
        e.preventDefault(); // accept the drop
        setDragging(true);
      }}
      onDragLeave={(e) => { if (e.currentTarget === e.target) setDragging(false); }}
      onDrop={(e) => {
        setDragging(false);
        const file = e.dataTransfer.files[0];
        if (!live || !file) return;
        e.preventDefault();
        setDropped(file);
      }}>
      <header className="room-header">
        <button type="button" className="back" onClick={onBack}>Back to rooms</button>
        <h2 id="room-title">{title}</h2>
        <button type="button" aria-expanded={panel === "members"}
          onClick={() => setPanel(panel === "members" ? null : "members")}>Members</button>
      </header>
      {blockedByThem ? (
        <div role="alert" className="notice">
          You can't read or send messages in this conversation: {otherName} blocked you.
        </div>
      ) : removed ? (
        <div role="alert" className="notice">
          You were removed from {title}. You can no longer read or send messages here.
        </div>
      ) : !live ? (
        <p className="placeholder" role="status">Opening the room…</p>
      ) : (
        <>
          <ol className="timeline" role="log" aria-label="Messages" aria-live="polite">
            <li className="older" tabIndex={-1} ref={history.start}>
              {history.done ? <p className="status">Beginning of the conversation</p> : (
                <button type="button" className="link" disabled={history.loading}
                  onClick={() => void history.loadOlder()}>
                  {history.loading ? "Loading older messages…" : "Load older messages"}
                </button>
              )}
              {history.error && <p role="alert" className="error">{history.error}</p>}
            </li>
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
          {entry?.block === "blocking" ? (
            <div role="status" className="notice">
              You blocked {otherName}. Neither of you can send messages here until you unblock.
              {" "}<button type="button" onClick={unblock}>Unblock {otherName}</button>
              {unblockError && <p role="alert" className="error">{unblockError}</p>}
            </div>
          ) : <Composer roomId={roomId} label="Message" autoFocus members={members}
                dropped={dropped} onDroppedTaken={() => setDropped(null)} />}
        </>
      )}
      {panel === "thread" && thread && !removed && (
        <ThreadPanel parent={messages.find((m) => m.id === thread.id) ?? thread}
          onClose={() => setPanel(null)} />
      )}
      {panel === "members" && (
        <MembersPanel details={details} onClose={() => setPanel(null)}
          disabled={removed || blockedByThem} block={entry?.block ?? null} />
      )}
    </section>
  );
}

const OLDER_PAGE = 20;

/** The live window (newest messages) plus older pages loaded on request. Messages that
 * slide out of the live window as new ones arrive are kept, so no gap opens between the
 * pages and the window. */
function useOlderMessages(recent: Message[]) {
  const chat = useChat();
  const kept = useRef(new Map<string, Message>());
  const [older, setOlder] = useState<Message[]>([]);
  const [cursor, setCursor] = useState<HistoryCursor | null | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const start = useRef<HTMLLIElement>(null);
  for (const m of recent) kept.current.set(m.id, m);
  const messages = useMemo(() => {
    const all = new Map<string, Message>();
    for (const m of older) all.set(m.id, m);
    for (const m of kept.current.values()) all.set(m.id, m);
    const at = (m: Message) => m.createdAt?.toMillis() ?? Number.MAX_SAFE_INTEGER;
    return [...all.values()].sort((a, b) => at(a) - at(b));
  }, [older, recent]);

  const loadOlder = async () => {
    const oldest = messages.find((m) => m.createdAt);
    if (!oldest) { setCursor(null); return; }
    setLoading(true);
    setError(null);
    try {
      const page = cursor
        ? await chat.messages.page(oldest.roomId, { before: cursor, limit: OLDER_PAGE, topLevel: true })
        : await chat.messages.olderThan(oldest, { limit: OLDER_PAGE });
      setOlder((previous) => [...page.messages].reverse().concat(previous));
      setCursor(page.next);
      // The button goes once the history is complete: keep the focus at its place.
      if (page.next === null) start.current?.focus();
    } catch (e) {
      setError(describe(e));
    } finally {
      setLoading(false);
    }
  };
  return { messages, loadOlder, loading, error, done: cursor === null, start };
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
