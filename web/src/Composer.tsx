// The message box: Enter (or Send) sends through the client's paced send queue; every
// keystroke feeds the typing indicator. A file is uploaded (upload_file: typed from its
// bytes, scanned) and sent as an image or file message with the box's text as caption.

import { useRef, useState, type ChangeEvent, type FormEvent } from "react";

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
  const [uploading, setUploading] = useState<string | null>(null);

  const attach = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    setError(null);
    setUploading(file.name);
    try {
      const attachment = await chat.uploads.uploadFile(roomId, { data: file, name: file.name });
      const caption = text.trim();
      setText("");
      await chat.messages.send(roomId, {
        text: caption, kind: attachment.kind === "image" ? "image" : "file",
        attachments: [attachment], ...(parentId ? { parentId } : {}),
      });
    } catch (e) {
      setError(describe(e));
    } finally {
      setUploading(null);
    }
  };

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
      <label className="attach">
        <span className="visually-hidden">Attach a file</span>
        <span aria-hidden="true">📎</span>
        <input type="file" className="visually-hidden" onChange={(e) => void attach(e)}
          disabled={uploading !== null} />
      </label>
      {uploading && <p role="status" className="status">Uploading {uploading}…</p>}
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}
