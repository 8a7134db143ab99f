-- Client request ids of create_room: a retry after a lost answer returns the same room.
-- One id per creator; the room is inserted after this row, hence the deferred reference.
CREATE TABLE room_requests (
    created_by uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    request_id text NOT NULL CHECK (request_id ~ '^[A-Za-z0-9_-]{8,128}$'),
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (created_by, request_id)
);

CREATE INDEX room_requests_by_room ON room_requests (room_id);
