// The message box: Enter (or Send) sends through the client's paced send queue; every
// keystroke feeds the typing indicator. A file — picked, pasted into the box, or dropped on
// the room — is uploaded (upload_file: typed from its bytes, scanned) with a progress bar
// and sent as an image or file message with the box's text as caption.

import {
  useEffect, useRef, useState, type ChangeEvent, type ClipboardEvent, type FormEvent,
} from "react";

import { mentionsIn } from "@flowchat/client";

import { describe, useChat } from "./chat";

export function Composer({ roomId, parentId, label, autoFocus, members = [], dropped, onDroppedTaken }: {
  roomId: string;
  parentId?: string;
  label: string;
  autoFocus?: boolean;
  /** The room's other members: @username in the text mentions them. */
  members?: readonly { uid: string; username: string }[];
  /** A file dropped on the room, to upload and send (then onDroppedTaken). */
  dropped?: File | null;
  onDroppedTaken?: () => void;
}) {
  const chat = useChat();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);

  const attach = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (file) void upload(file);
  };
  const paste = (event: ClipboardEvent<HTMLInputElement>) => {
    const file = event.clipboardData.files[0];
    if (!file || uploading !== null) return;
    event.preventDefault(); // a pasted image or file is sent, not its name typed
    void upload(file);
  };
  useEffect(() => {
    if (!dropped) return;
    onDroppedTaken?.();
    if (uploading === null) void upload(dropped);
  }, [dropped]); // eslint-disable-line react-hooks/exhaustive-deps

  const upload = async (file: File) => {
    setError(null);
    setUploading(file.name || "the pasted file");
    setProgress(0);
    try {
      const attachment = await chat.uploads.uploadFile(roomId,
        { data: file, name: file.name || "pasted" },
        { onProgress: (sent, total) => setProgress(total ? Math.round((sent / total) * 100) : 0) });
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
      setProgress(null);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = text.trim();
    if (!body) return;
    setText("");
    setError(null);
    void chat.typing.stop(roomId).catch(() => undefined);
    const mentions = mentionsIn(body, members);
    chat.send(roomId, body, {
      ...(parentId ? { parentId } : {}), ...(mentions.length ? { mentions } : {}),
    }).catch((e: unknown) => {
      setError(describe(e));
      setText((current) => current || body); // give the text back to retry
    });
    input.current?.focus();
  };

  return (
    <form className="composer" onSubmit={submit} aria-label={label}>
      <label className="visually-hidden" htmlFor={`${label}-${roomId}`}>{label}</label>
      <input id={`${label}-${roomId}`} ref={input} value={text} autoFocus={autoFocus}
        autoComplete="off" placeholder={`${label}…`} aria-describedby={`${label}-${roomId}-hint`}
        onChange={(e) => {
          setText(e.target.value);
          void chat.typing.keystroke(roomId).catch(() => undefined);
        }} onPaste={paste} />
      <span id={`${label}-${roomId}-hint`} className="visually-hidden">
        Type @ and a username to mention someone. Paste or drop a file to send it.
      </span>
      <button type="submit">Send</button>
      <label className="attach">
        <span className="visually-hidden">Attach a file</span>
        <span aria-hidden="true">📎</span>
        <input type="file" className="visually-hidden" onChange={attach}
          disabled={uploading !== null} />
      </label>
      {uploading && (
        <p role="status" className="status">
          Uploading {uploading}…{" "}
          <progress max={100} value={progress ?? 0} aria-label={`Upload of ${uploading}`} />
          {progress !== null && ` ${progress}%`}
        </p>
      )}
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}
