-- User search ranks by trigram word similarity over "username display name" and walks a
-- GiST index in distance order (KNN), so a page costs the same however many users match.
-- The GIN indexes of 0001 could only filter, forcing a sort of every match.
DROP INDEX IF EXISTS users_username_trgm;
DROP INDEX IF EXISTS users_display_name_trgm;

CREATE INDEX users_search_gist ON users
    USING gist ((lower(username) || ' ' || lower(display_name)) gist_trgm_ops);
