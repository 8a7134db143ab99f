// Files to Cloudinary, the two ways the backend offers: a signed direct upload
// (get_upload_signature) or the checking server upload (the upload_file HTTPS function).
// Both resolve with the Attachment a message carries.

import type { Call, Request } from "./callables.js";
import type { FlowChatOptions } from "./config.js";
import { CallableError, NotSignedIn } from "./errors.js";
import type { SignedUpload } from "./generated/api.js";
import type { Session } from "./session.js";
import type { Attachment } from "./types.js";

/** What Cloudinary answers to an upload (the fields FlowChat reads). */
interface StoredFile {
  secure_url: string;
  bytes: number;
  width?: number;
  height?: number;
  error?: { message: string };
}

/** A file as the browser (File) or Node (Blob + name) hands it over. */
export interface UploadSource {
  data: Blob;
  name: string;
  /** The declared media type; defaults to data.type. */
  contentType?: string;
}

/** upload_file's error answers: HTTP status and the callable-style status. */
export class UploadError extends CallableError {
  constructor(readonly httpStatus: number, status: string, message: string, details: unknown) {
    super("upload_file", status, message, details);
  }
}

export class Uploads {
  constructor(
    private readonly session: Session,
    private readonly call: Call,
    private readonly options: FlowChatOptions,
  ) {}

  /** Signed parameters for one direct upload (room file, or `for: "avatar"`). */
  getUploadSignature(request: Request<"get_upload_signature">): Promise<SignedUpload> {
    return this.call("get_upload_signature", request);
  }

  /** Signs, POSTs the file straight to Cloudinary, and builds the attachment. */
  async uploadDirect(roomId: string, source: UploadSource): Promise<Attachment> {
    const contentType = source.contentType ?? source.data.type;
    const signed = await this.getUploadSignature({
      roomId, fileName: source.name, size: source.data.size, contentType,
    });
    if (source.data.size > signed.maxBytes) {
      throw new UploadError(413, "invalid-argument", `at most ${signed.maxBytes} bytes`, null);
    }
    const stored = await postToCloudinary(signed, source);
    const attachment: Attachment = {
      kind: signed.kind, url: stored.secure_url, name: source.name, contentType, size: stored.bytes,
    };
    if (stored.width && stored.height) Object.assign(attachment, { width: stored.width, height: stored.height });
    return attachment;
  }

  /** Through upload_file: type from the bytes, metadata stripped, scanned, thumbnail URL.
   * `onProgress(sentBytes, totalBytes)` follows the request body going out (in a browser;
   * fetch cannot report it, so the upload then goes through XMLHttpRequest). */
  async uploadFile(roomId: string, source: UploadSource,
                   options: { onProgress?: UploadProgress } = {}): Promise<Attachment> {
    const user = this.session.auth.currentUser;
    if (user === null) throw new NotSignedIn();
    const form = new FormData();
    const contentType = source.contentType ?? source.data.type;
    form.append("file", new Blob([source.data], { type: contentType }), source.name);
    const url = `${this.functionUrl("upload_file")}?roomId=${encodeURIComponent(roomId)}`;
    const token = await user.getIdToken();
    const response = options.onProgress && typeof XMLHttpRequest !== "undefined"
      ? await postWithProgress(url, form, token, options.onProgress)
      : await postWithFetch(url, form, token);
    const answer = response.body as {
      result?: Attachment; error?: { status: string; message: string; details?: unknown };
    };
    if (!response.ok || answer.result === undefined) {
      const error = answer.error ?? { status: "unknown", message: response.statusText };
      throw new UploadError(response.status, error.status.toLowerCase().replace(/_/g, "-"),
        error.message, error.details ?? null);
    }
    return answer.result;
  }

  /** The URL of an HTTPS function: the Functions emulator's, or the deployed one. */
  functionUrl(name: string): string {
    const region = this.options.region ?? "us-central1";
    const project = this.options.firebase.projectId ?? "";
    const emulator = this.options.emulators?.functions;
    return emulator
      ? `http://${emulator.host}:${emulator.port}/${project}/${region}/${name}`
      : `https://${region}-${project}.cloudfunctions.net/${name}`;
  }
}

/** Called as the upload's bytes go out: sent so far, and the total. */
export type UploadProgress = (sentBytes: number, totalBytes: number) => void;

interface Answer {
  ok: boolean;
  status: number;
  statusText: string;
  body: unknown;
}

async function postWithFetch(url: string, form: FormData, token: string): Promise<Answer> {
  const response = await fetch(url, {
    method: "POST", body: form, headers: { Authorization: `Bearer ${token}` },
  });
  const body: unknown = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, statusText: response.statusText, body };
}

function postWithProgress(url: string, form: FormData, token: string,
                          onProgress: UploadProgress): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    };
    xhr.onload = () => {
      let body: unknown = {};
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON: statusText says it */ }
      resolve({ ok: xhr.status >= 200 && xhr.status < 300, status: xhr.status,
                statusText: xhr.statusText, body });
    };
    // As fetch does: a request that never got an answer is a TypeError.
    xhr.onerror = () => reject(new TypeError(`network error uploading to ${url}`));
    xhr.send(form);
  });
}

async function postToCloudinary(signed: SignedUpload, source: UploadSource): Promise<StoredFile> {
  const form = new FormData();
  for (const [key, value] of Object.entries(signed.fields)) form.append(key, String(value));
  form.append("file", source.data, source.name);
  const response = await fetch(signed.uploadUrl, { method: "POST", body: form });
  const stored = (await response.json()) as StoredFile;
  if (!response.ok || stored.error !== undefined) {
    throw new UploadError(response.status, "cloudinary", stored.error?.message ?? response.statusText, null);
  }
  return stored;
}
