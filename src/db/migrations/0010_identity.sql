-- Identity for 等保 level 3 (GB/T 22239-2019 8.1.4.1; 密评 GB/T 39786-2021 8.4 a)): two factors for every
-- account, the password policy's age and history, lockout, account expiry, and sessions that are pending until
-- the second factor is proven. Runs on PostgreSQL 15 and 18.

-- password_changed_at: when the holder last chose their own password. NULL means someone else set it (the demo
-- seed, an administrator), so the next sign-in must change it; existing accounts get NULL and change theirs.
-- expires_at: accounts of temporary experts end on their own. failed_sign_ins / locked_until: five failures in
-- a row (password or second factor) lock the account for 15 minutes; a full sign-in resets the count.
ALTER TABLE users
  ADD COLUMN password_changed_at  timestamptz,
  ADD COLUMN expires_at           timestamptz,
  ADD COLUMN failed_sign_ins      integer NOT NULL DEFAULT 0 CHECK (failed_sign_ins >= 0),
  ADD COLUMN locked_until         timestamptz;

-- The passwords a user had before (argon2 hashes), for the policy's "no reuse of the last N". seq orders them
-- even when two changes share a timestamp.
CREATE TABLE password_history (
  seq            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id        uuid NOT NULL REFERENCES users (id),
  password_hash  text NOT NULL,
  replaced_at    timestamptz NOT NULL
);
-- Serves: a user's most recent earlier passwords at a password change (WHERE user_id = $1 ORDER BY seq DESC
-- LIMIT n).
CREATE INDEX password_history_user_idx ON password_history (user_id, seq DESC);

-- TOTP (RFC 6238). The secret is sealed by the application's secret box (envelope encryption, the user id as
-- associated data), never stored in plaintext. confirmed_at is NULL while the enrolment waits for its first code;
-- last_step is the last time step accepted, so a code is good once (a later code must have a later step).
CREATE TABLE user_totp (
  user_id        uuid PRIMARY KEY REFERENCES users (id),
  secret_sealed  bytea NOT NULL,
  created_at     timestamptz NOT NULL,
  confirmed_at   timestamptz,
  last_step      bigint
);

-- One-time recovery codes for a lost authenticator: argon2 hashes only, the codes are shown once.
CREATE TABLE recovery_codes (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES users (id),
  code_hash   text NOT NULL,
  created_at  timestamptz NOT NULL,
  used_at     timestamptz
);
-- Serves: a user's unused recovery codes, checked at a recovery sign-in and counted in the sign-in state
-- (WHERE user_id = $1 AND used_at IS NULL).
CREATE INDEX recovery_codes_unused_idx ON recovery_codes (user_id) WHERE used_at IS NULL;

-- The SM2 public key of a user's certificate / USB key (uncompressed point, hex), registered by an administrator:
-- the second factor answered by signing a challenge. One key per user; a new certificate replaces it.
CREATE TABLE user_sm2_keys (
  user_id        uuid PRIMARY KEY REFERENCES users (id),
  public_key     text NOT NULL CHECK (public_key ~ '^04[0-9a-f]{128}$'),
  registered_at  timestamptz NOT NULL,
  registered_by  uuid NOT NULL REFERENCES users (id)
);

-- Sessions opened before this migration proved no second factor: they end here, and their users sign in again.
DELETE FROM sessions;

-- second_factor_at NULL: a pending session, past the password but not the second factor; it may only finish
-- signing in. sm2_challenge: the one outstanding SM2 challenge of a pending session, cleared when answered.
ALTER TABLE sessions
  ADD COLUMN second_factor_at          timestamptz,
  ADD COLUMN sm2_challenge             text,
  ADD COLUMN sm2_challenge_expires_at  timestamptz;
