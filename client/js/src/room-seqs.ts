// The rooms' messageSeq (kept on rooms/{roomId} by the message trigger with lastMessage) and
// the caller's lastReadSeq per room, shared by the room list (unread = messageSeq -
// lastReadSeq) and the receipts (a read of the room's last message carries its messageSeq).

export interface RoomSeq {
  /** rooms/{roomId}.messageSeq: how many top-level messages the room has had. */
  seq: number;
  /** The lastMessage that seq counts up to. */
  lastMessageId: string | null;
}

export class RoomSeqs {
  readonly rooms = new Map<string, RoomSeq>();
  /** The caller's receipts' lastReadSeq, as last read or written. */
  readonly read = new Map<string, number>();

  /** The lastReadSeq to write when marking `messageId` read: the room's messageSeq if that
   * is the room's last message (never below what was written before), else none. */
  seqFor(roomId: string, messageId: string): number | undefined {
    const room = this.rooms.get(roomId);
    if (!room || room.lastMessageId !== messageId) return undefined;
    return Math.max(room.seq, this.read.get(roomId) ?? 0);
  }
}
