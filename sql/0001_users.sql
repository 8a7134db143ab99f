-- Accounts: the source of truth for identity; Firestore users/{uid} holds only the public profile.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    username text NOT NULL CHECK (username ~ '^[A-Za-z0-9_.]{3,32}$'),
    email text CHECK (email IS NULL OR length(email) <= 254),
    password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 64),
    avatar_url text CHECK (avatar_url IS NULL OR length(avatar_url) <= 1024),
    disabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Case-insensitive uniqueness: "Alice" and "alice" are the same account.
CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email)) WHERE email IS NOT NULL;

-- User search: prefix (LIKE 'q%') and fuzzy (%) matches both use the trigram GIN indexes.
CREATE INDEX users_username_trgm ON users USING gin (lower(username) gin_trgm_ops);
CREATE INDEX users_display_name_trgm ON users USING gin (lower(display_name) gin_trgm_ops);
