// The message box: Enter (or Send) sends through the client's paced send queue; every
// keystroke feeds the typing indicator.

import { useRef, useState, type FormEvent } from "react";

import { describe, useChat } from "./chat";

export function Composer({ roomId, parentId, label, autoFocus }: {
  roomId: string;
  parentId?: string;
  label: string;
  autoFocus?: boolean;
}) {
  const chat = useChat();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = text.trim();
    if (!body) return;
    setText("");
    setError(null);
    void chat.typing.stop(roomId).catch(() => undefined);
    chat.send(roomId, body, parentId ? { parentId } : {}).catch((e: unknown) => {
      setError(describe(e));
      setText((current) => current || body); // give the text back to retry
    });
    input.current?.focus();
  };

  return (
    <form className="composer" onSubmit={submit} aria-label={label}>
      <label className="visually-hidden" htmlFor={`${label}-${roomId}`}>{label}</label>
      <input id={`${label}-${roomId}`} ref={input} value={text} autoFocus={autoFocus}
        autoComplete="off" placeholder={`${label}…`}
        onChange={(e) => {
          setText(e.target.value);
          void chat.typing.keystroke(roomId).catch(() => undefined);
        }} />
      <button type="submit">Send</button>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}
