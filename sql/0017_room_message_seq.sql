-- The room's message sequence: how many top-level messages it has had. The message trigger
-- bumps it in the same transaction as it claims a new message's event (so a redelivered
-- event does not count twice) and mirrors it to rooms/{roomId}.messageSeq with the
-- lastMessage preview, in the one summary write it already made. Clients keep the value
-- they have seen in their read receipt (lastReadSeq): unread = messageSeq - lastReadSeq.
ALTER TABLE rooms ADD COLUMN message_seq bigint NOT NULL DEFAULT 0 CHECK (message_seq >= 0);

UPDATE rooms
SET message_seq = counted.n
FROM (
    SELECT room_id, count(*) AS n
    FROM message_index
    WHERE thread_id IS NULL
    GROUP BY room_id
) AS counted
WHERE rooms.id = counted.room_id;
