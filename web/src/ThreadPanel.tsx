// A thread: the parent message and its live replies, with a reply box.

import type { Message } from "@flowchat/client";

import { useChat, useLive } from "./chat";
import { Composer } from "./Composer";
import { MessageItem } from "./MessageItem";

export function ThreadPanel({ parent, onClose }: { parent: Message; onClose: () => void }) {
  const chat = useChat();
  const replies = useLive<Message[]>([], (set) => chat.messages.thread(parent.roomId, parent.id, set,
    { onError: () => undefined }), [parent.roomId, parent.id]);
  return (
    <aside className="side-panel" aria-label="Thread"
      onKeyDown={(e) => { if (e.key === "Escape") onClose(); }}>
      <header className="panel-header">
        <h3>Thread</h3>
        <button type="button" onClick={onClose}>Close thread</button>
      </header>
      <MessageItem message={parent} />
      <ol className="timeline" role="log" aria-label="Replies" aria-live="polite">
        {replies.map((m) => <li key={m.id}><MessageItem message={m} /></li>)}
      </ol>
      <Composer roomId={parent.roomId} parentId={parent.id} label="Reply" autoFocus />
    </aside>
  );
}
