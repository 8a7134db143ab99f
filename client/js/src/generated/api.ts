// Placeholder until the generator lands: request / response / error types of the callables.

export type ErrorStatus = "invalid-argument" | "unauthenticated" | "permission-denied" | "not-found"
  | "already-exists" | "failed-precondition" | "resource-exhausted" | "unavailable";

export interface SignedIn { uid: string; customToken: string }
export interface Profile { username: string; displayName: string; avatarUrl: string | null;
  avatarThumbUrl: string | null }
export interface RoomSummary { roomId: string; kind: "group" | "direct"; name: string | null;
  memberCount: number; role: "owner" | "admin" | "member"; joinedAt: string }
export interface RoomMember { uid: string; role: "owner" | "admin" | "member"; joinedAt: string;
  username: string; displayName: string; avatarUrl: string | null }
export interface FoundUser { uid: string; username: string; displayName: string; avatarUrl: string | null }
export interface FoundMessage { roomId: string; messageId: string; parentId: string | null;
  authorId: string; kind: "text" | "image" | "file"; text: string; createdAt: string; editedAt: string | null }
type Attachment = { kind: "image" | "video" | "document" | "other"; url: string; name: string;
  contentType: string; size: number; thumbUrl?: string; width?: number; height?: number };
/** get_upload_signature's answer: POST `fields` + the file to `uploadUrl` before `expiresAt`. */
export interface SignedUpload { uploadUrl: string; fields: Record<string, string | number>;
  kind: "image" | "video" | "document" | "other"; resourceType: "image" | "video" | "raw";
  maxBytes: number; expiresAt: number; urlPattern: string }

export interface Callables {
  register: { request: { username: string; password: string; displayName: string; email?: string | null };
    response: SignedIn; errors: ErrorStatus };
  login: { request: { usernameOrEmail: string; password: string }; response: SignedIn; errors: ErrorStatus };
  update_profile: { request: { displayName?: string | null; avatarUrl?: string | null };
    response: Profile; errors: ErrorStatus };
  create_room: { request: { kind: "group" | "direct"; name?: string; memberIds: string[] };
    response: { roomId: string; created: boolean }; errors: ErrorStatus };
  rename_room: { request: { roomId: string; name: string }; response: { roomId: string; name: string };
    errors: ErrorStatus };
  get_room: { request: { roomId: string }; response: { roomId: string; kind: "group" | "direct";
    name: string | null; createdBy: string; createdAt: string; memberCount: number; members: RoomMember[] };
    errors: ErrorStatus };
  list_my_rooms: { request: { limit?: number; cursor?: string | null };
    response: { rooms: RoomSummary[]; nextCursor: string | null }; errors: ErrorStatus };
  add_members: { request: { roomId: string; memberIds: string[] };
    response: { roomId: string; added: string[] }; errors: ErrorStatus };
  remove_member: { request: { roomId: string; userId: string };
    response: { roomId: string; removed: string }; errors: ErrorStatus };
  leave_room: { request: { roomId: string }; response: { roomId: string; left: true }; errors: ErrorStatus };
  set_role: { request: { roomId: string; userId: string; role: "owner" | "admin" | "member" };
    response: { roomId: string; userId: string; role: "owner" | "admin" | "member" }; errors: ErrorStatus };
  check_membership: { request: { roomId: string };
    response: { isMember: boolean; role: "owner" | "admin" | "member" | null }; errors: ErrorStatus };
  search_users: { request: { query: string; limit?: number; cursor?: string | null };
    response: { users: FoundUser[]; nextCursor: string | null }; errors: ErrorStatus };
  block_user: { request: { userId: string }; response: { userId: string; blocked: true; changed: boolean };
    errors: ErrorStatus };
  unblock_user: { request: { userId: string }; response: { userId: string; blocked: false; changed: boolean };
    errors: ErrorStatus };
  send_message: { request: { roomId: string; idempotencyKey: string; kind?: "text" | "image" | "file";
    text?: string; attachments?: Attachment[]; parentId?: string | null };
    response: { roomId: string; messageId: string; created: boolean }; errors: ErrorStatus };
  search_messages: { request: { query: string; roomId?: string | null; limit?: number; cursor?: string | null };
    response: { messages: FoundMessage[]; nextCursor: string | null }; errors: ErrorStatus };
  get_upload_signature: { request: ({ roomId: string; for?: "room" } | { for: "avatar" })
      & { fileName: string; size: number; contentType: string };
    response: SignedUpload; errors: ErrorStatus };
}

export type CallableName = keyof Callables;
export const CALLABLE_NAMES = ["register", "login", "update_profile", "create_room", "rename_room",
  "get_room", "list_my_rooms", "add_members", "remove_member", "leave_room", "set_role",
  "check_membership", "search_users", "block_user", "unblock_user", "send_message",
  "search_messages", "get_upload_signature"] as const satisfies readonly CallableName[];
