-- Failed-login counters per bucket ("account:<name>" or "address:<ip>") in a fixed window.
CREATE TABLE login_throttle (
    bucket text PRIMARY KEY,
    failures integer NOT NULL DEFAULT 0,
    window_started_at timestamptz NOT NULL DEFAULT now()
);
