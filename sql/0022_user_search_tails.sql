-- Prefix search for search_users: every word-start tail of "username display name" (words
-- lowercased, separators folded to one space, at most 64 characters: the longest query),
-- so "love" finds "Ada Lovelace" through a btree range in C collation, keyset-paged on
-- (tail, user_id) however many users share the prefix. Kept by statement-level triggers
-- (one INSERT ... SELECT per statement, bulk loads included).

CREATE FUNCTION search_words(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN btrim(regexp_replace(lower(t), '[^[:alnum:]]+', ' ', 'g'));

CREATE FUNCTION search_tails(t text) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    BEGIN ATOMIC
        SELECT DISTINCT left(array_to_string(w.words[i:], ' '), 64)
        FROM (SELECT string_to_array(search_words(t), ' ') AS words) w,
             generate_subscripts(w.words, 1) AS i;
    END;

CREATE TABLE user_search_tails (
    tail text COLLATE "C" NOT NULL,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (tail, user_id)
);
-- A user's own tails: the trigger's deletes, and "is this the user's first matching tail".
CREATE INDEX user_search_tails_by_user ON user_search_tails (user_id, tail);

CREATE FUNCTION user_search_tails_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO user_search_tails (tail, user_id)
    SELECT t, n.id FROM new_users n, search_tails(n.username || ' ' || n.display_name) t;
    RETURN NULL;
END $$;

-- Only renamed users: tails that stay are left alone, gone ones deleted, new ones added.
CREATE FUNCTION user_search_tails_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH renamed AS (
        SELECT n.id, n.username, n.display_name
        FROM new_users n JOIN old_users o ON o.id = n.id
        WHERE (n.username, n.display_name) IS DISTINCT FROM (o.username, o.display_name)
    ), wanted AS (
        SELECT t AS tail, r.id AS user_id
        FROM renamed r, search_tails(r.username || ' ' || r.display_name) t
    ), gone AS (
        DELETE FROM user_search_tails s USING renamed r
        WHERE s.user_id = r.id
          AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.user_id = s.user_id AND w.tail = s.tail)
    )
    INSERT INTO user_search_tails (tail, user_id)
    SELECT tail, user_id FROM wanted
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER users_search_tails_insert AFTER INSERT ON users
    REFERENCING NEW TABLE AS new_users
    FOR EACH STATEMENT EXECUTE FUNCTION user_search_tails_insert();
CREATE TRIGGER users_search_tails_update AFTER UPDATE ON users
    REFERENCING OLD TABLE AS old_users NEW TABLE AS new_users
    FOR EACH STATEMENT EXECUTE FUNCTION user_search_tails_update();

INSERT INTO user_search_tails (tail, user_id)
SELECT t, u.id FROM users u, search_tails(u.username || ' ' || u.display_name) t;
