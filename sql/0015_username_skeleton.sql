-- Usernames that look alike cannot coexist: each account stores the confusable skeleton of
-- its username (Unicode TS #39, computed by flowchat/services/names.py at registration),
-- unique. Usernames are ASCII ([A-Za-z0-9_.]), and the only confusables.txt mappings among
-- those characters, after case folding, are 0 -> o, 1 -> l and m -> rn; the backfill below
-- applies exactly these (tests/integration/test_migrations.py checks it against Python).
-- Of existing accounts that already collide, the oldest keeps the skeleton and the others
-- stay NULL (not unique-checked): they keep their names, and nobody new can take a third.
ALTER TABLE users ADD COLUMN username_skeleton text;

UPDATE users AS u
SET username_skeleton = s.skeleton
FROM (
    SELECT id, skeleton,
           row_number() OVER (PARTITION BY skeleton ORDER BY created_at, id) AS rank
    FROM (
        SELECT id, created_at,
               replace(translate(lower(username), '01', 'ol'), 'm', 'rn') AS skeleton
        FROM users
    ) AS computed
) AS s
WHERE u.id = s.id AND s.rank = 1;

CREATE UNIQUE INDEX users_username_skeleton_key ON users (username_skeleton);
