// One message: author, time, text; reactions; reply-in-thread, edit and delete actions.

import { useState, type FormEvent } from "react";

import {
  ALLOWED_REACTIONS, mentions, type Message, type ReactionCounts,
} from "@flowchat/client";

import { describe, useChat, useLive } from "./chat";
import { usePeople } from "./people";

const timeOf = (m: Message): string =>
  m.createdAt ? m.createdAt.toDate().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : "sending…";

export function MessageItem({ message, onThread, seenBy }: {
  message: Message;
  onThread?: (message: Message) => void;
  seenBy?: string[];
}) {
  const chat = useChat();
  const people = usePeople();
  const [editing, setEditing] = useState(false);
  const [picking, setPicking] = useState(false);
  const [reporting, setReporting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mine = message.authorId === chat.uid;
  const deleted = Boolean(message.deletedAt);
  const author = people.nameOf(message.authorId);
  const headingId = `m-${message.id}`;
  const mentionsMe = !deleted && mentions(message, chat.uid);

  const act = (action: () => Promise<void>) => {
    setError(null);
    action().catch((e: unknown) => setError(describe(e)));
  };

  return (
    <article className={`message ${mine ? "mine" : ""} ${mentionsMe ? "mentioned" : ""}`}
      aria-labelledby={headingId}>
      <header id={headingId}>
        <span className="author">{author}</span>{" "}
        <time>{timeOf(message)}</time>
        {mentionsMe && <span className="mention-tag"> · mentions you</span>}
        {message.editedAt && !deleted && <span className="edited"> (edited)</span>}
      </header>
      {editing ? (
        <EditBox message={message} onDone={() => setEditing(false)} />
      ) : (
        <p className={deleted ? "text deleted" : "text"}>
          {deleted ? "Message deleted" : message.text}
        </p>
      )}
      {!deleted && message.attachments.length > 0 && (
        <ul className="attachments" aria-label="Attachments">
          {message.attachments.map((a) => (
            <li key={a.url}>
              {a.kind === "image"
                ? <a href={a.url} target="_blank" rel="noreferrer">
                    <img src={a.thumbUrl ?? a.url} alt={a.name} loading="lazy" /></a>
                : <a href={a.url} target="_blank" rel="noreferrer" download={a.name}>
                    {a.name} ({Math.ceil(a.size / 1024)} KB)</a>}
            </li>
          ))}
        </ul>
      )}
      {!deleted && <Reactions message={message} onError={setError} />}
      {!deleted && (
        <div className="actions">
          <button type="button" aria-expanded={picking} onClick={() => setPicking(!picking)}>
            React
          </button>
          {onThread && (
            <button type="button" onClick={() => onThread(message)}>Reply in thread</button>
          )}
          {onThread && message.replyCount ? (
            <span className="reply-count">
              {message.replyCount} {message.replyCount === 1 ? "reply" : "replies"}
            </span>
          ) : null}
          {mine && !editing && <button type="button" onClick={() => setEditing(true)}>Edit</button>}
          {mine && <button type="button" onClick={() => act(() => chat.messages.remove(message))}>
            Delete</button>}
          {!mine && <button type="button" aria-expanded={reporting}
            onClick={() => setReporting(!reporting)}>Report</button>}
        </div>
      )}
      {picking && (
        <div role="group" aria-label="Pick a reaction" className="picker">
          {ALLOWED_REACTIONS.map((emoji) => (
            <button key={emoji} type="button" aria-label={`React with ${emoji}`}
              onClick={() => { setPicking(false); act(() => chat.reactions.react(message, emoji)); }}>
              {emoji}
            </button>
          ))}
        </div>
      )}
      {reporting && <ReportBox message={message} onDone={() => setReporting(false)} />}
      {seenBy && seenBy.length > 0 && (
        <p className="seen">Seen by {seenBy.map(people.nameOf).join(", ")}</p>
      )}
      {error && <p role="alert" className="error">{error}</p>}
    </article>
  );
}

function Reactions({ message, onError }: { message: Message; onError: (e: string) => void }) {
  const chat = useChat();
  const counts = useLive<ReactionCounts>(new Map(), (set) => chat.reactions.listen(message, set,
    { onError: () => undefined }), [message.roomId, message.id]);
  if (counts.size === 0) return null;
  return (
    <div className="reactions" role="group" aria-label="Reactions">
      {[...counts].map(([emoji, uids]) => {
        const mine = uids.includes(chat.uid ?? "");
        const toggle = () => (mine ? chat.reactions.unreact(message) : chat.reactions.react(message, emoji))
          .catch((e: unknown) => onError(describe(e)));
        return (
          <button key={emoji} type="button" aria-pressed={mine} onClick={() => void toggle()}
            aria-label={`${emoji} ${uids.length}${mine ? ", including you" : ""}`}>
            {emoji} {uids.length}
          </button>
        );
      })}
    </div>
  );
}

function EditBox({ message, onDone }: { message: Message; onDone: () => void }) {
  const chat = useChat();
  const [text, setText] = useState(message.text);
  const [error, setError] = useState<string | null>(null);
  const save = (event: FormEvent) => {
    event.preventDefault();
    chat.messages.edit(message, text.trim()).then(onDone, (e: unknown) => setError(describe(e)));
  };
  return (
    <form onSubmit={save} className="edit" onKeyDown={(e) => { if (e.key === "Escape") onDone(); }}>
      <label>Edit message
        <input value={text} onChange={(e) => setText(e.target.value)} autoFocus />
      </label>
      <button type="submit">Save</button>
      <button type="button" onClick={onDone}>Cancel</button>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}

/** Reports the message to the room's moderators (report_message). */
function ReportBox({ message, onDone }: { message: Message; onDone: () => void }) {
  const chat = useChat();
  const [reason, setReason] = useState("");
  const [status, setStatus] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    chat.call("report_message", { roomId: message.roomId, messageId: message.id, reason: reason.trim() })
      .then(() => { setStatus("Reported to the moderators."); setTimeout(onDone, 1500); },
        (e: unknown) => setStatus(describe(e)));
  };
  return (
    <form onSubmit={submit} className="edit" onKeyDown={(e) => { if (e.key === "Escape") onDone(); }}>
      <label>Reason for the report
        <input value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500}
          autoFocus />
      </label>
      <button type="submit">Send report</button>
      <button type="button" onClick={onDone}>Cancel</button>
      {status && <p role="status">{status}</p>}
    </form>
  );
}
