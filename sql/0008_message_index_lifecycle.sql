-- The message index follows edits and soft deletes, and is keyed per room: message ids are
-- chosen by clients, so an id reused in another room must not overwrite this room's row.
ALTER TABLE message_index DROP CONSTRAINT message_index_pkey;
ALTER TABLE message_index ADD PRIMARY KEY (room_id, message_id);
ALTER TABLE message_index
    ADD COLUMN kind text NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'image', 'file')),
    ADD COLUMN edited_at timestamptz,
    ADD COLUMN deleted_at timestamptz;

-- Search pages newest first through live messages only.
CREATE INDEX message_index_live_by_time ON message_index (created_at DESC, room_id, message_id)
    WHERE deleted_at IS NULL;
-- Thread counters: live replies of one parent.
CREATE INDEX message_index_replies ON message_index (room_id, thread_id, created_at)
    WHERE thread_id IS NOT NULL AND deleted_at IS NULL;

-- Trigger events already handled, so a redelivered event (at-least-once) changes nothing.
-- Pruned by the scheduled clean-up after the delivery retry window.
CREATE TABLE processed_events (
    event_id text PRIMARY KEY,
    handler text NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX processed_events_by_time ON processed_events (processed_at);
