-- check_membership answers from indexes alone (an Index Only Scan on each table):
-- the primary key of room_members carries the role, and active users have their own
-- small index, so "is uid an active member, with which role" never reads a heap page
-- once the visibility map is set (autovacuum).
ALTER TABLE room_members
    DROP CONSTRAINT room_members_pkey,
    ADD CONSTRAINT room_members_pkey PRIMARY KEY (room_id, user_id) INCLUDE (role);

CREATE INDEX users_active ON users (id) WHERE disabled IS false;
