-- Search index of Firestore messages, maintained by a Firestore trigger (later issue).
CREATE TABLE message_index (
    message_id text PRIMARY KEY,
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    thread_id text,
    author_id uuid NOT NULL,
    created_at timestamptz NOT NULL,
    body text NOT NULL DEFAULT '',
    body_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED
);

CREATE INDEX message_index_body_tsv ON message_index USING gin (body_tsv);
CREATE INDEX message_index_by_room ON message_index (room_id, created_at DESC);
