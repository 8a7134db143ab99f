-- A member may hide (archive) a room from their list; the next new message unhides it.
ALTER TABLE room_members ADD COLUMN hidden boolean NOT NULL DEFAULT false;

-- The message trigger unhides a room's hidden entries: only those rows are indexed.
CREATE INDEX room_members_hidden ON room_members (room_id) WHERE hidden;
