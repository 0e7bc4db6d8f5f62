-- Foundation: organizations, officials, users and roles, cases, sessions, and the audit chain.
-- Forward-only; runs unchanged on PostgreSQL 15 and 18.

-- Organizations form a tree (the municipal committee, its commission, departments, districts, bureaus, SOEs…).
CREATE TABLE organizations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  parent_id   uuid REFERENCES organizations (id),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  short_name  text CHECK (short_name IS NULL OR length(short_name) BETWEEN 1 AND 50),
  type        text NOT NULL CHECK (type IN (
                'party-committee', 'party-group', 'discipline-commission', 'organization-department',
                'publicity-department', 'government', 'government-department', 'people-congress', 'cppcc',
                'court', 'procuratorate', 'democratic-party', 'federation-of-industry-and-commerce',
                'people-organization', 'state-owned-enterprise', 'public-institution', 'university',
                'party-branch', 'other')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (parent_id IS DISTINCT FROM id)
);
-- Serves: children of an organization (tree walks for jurisdiction, R14).
CREATE INDEX organizations_parent_idx ON organizations (parent_id);

-- Officials: the people a case can concern (Art. 7), each managed by an organ (干部管理权限, Art. 6).
CREATE TABLE officials (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  organization_id  uuid NOT NULL REFERENCES organizations (id),
  position         text NOT NULL CHECK (length(position) BETWEEN 1 AND 200),
  rank             text NOT NULL CHECK (rank IN (
                     'ministerial-principal', 'ministerial-deputy', 'bureau-principal', 'bureau-deputy',
                     'division-principal', 'division-deputy', 'section-principal', 'section-deputy', 'staff')),
  -- Art. 7 ¶1 lists the bodies; ¶2 covers other public officials by reference (参照).
  category         text NOT NULL CHECK (category IN (
                     'party-organ', 'people-congress', 'government', 'supervisory-commission', 'court',
                     'procuratorate', 'cppcc', 'democratic-party', 'federation-of-industry-and-commerce',
                     'state-owned-enterprise', 'public-institution', 'other-by-reference')),
  managing_org_id  uuid NOT NULL REFERENCES organizations (id),
  created_at       timestamptz NOT NULL DEFAULT now()
);
-- Serves: officials managed by an organ (jurisdiction, R14).
CREATE INDEX officials_managing_org_idx ON officials (managing_org_id);
-- Serves: officials of an organization (party organization view).
CREATE INDEX officials_organization_idx ON officials (organization_id);

CREATE TABLE users (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username       text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
  password_hash  text NOT NULL,
  display_name   text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
  -- The official this account belongs to (role "official"), if any.
  official_id    uuid REFERENCES officials (id),
  disabled_at    timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now()
);
-- Serves: sign-in by username.
CREATE UNIQUE INDEX users_username_key ON users (username);

-- A user holds roles at organizations (e.g. handler at the district commission).
CREATE TABLE user_roles (
  user_id          uuid NOT NULL REFERENCES users (id),
  role             text NOT NULL CHECK (role IN (
                     'handler', 'deliberation-member', 'approver', 'official', 'party-organization', 'expert',
                     'organization-department', 'supervisor', 'publicity', 'administrator')),
  organization_id  uuid NOT NULL REFERENCES organizations (id),
  PRIMARY KEY (user_id, role, organization_id)
);
-- Serves: who holds roles at an organization.
CREATE INDEX user_roles_organization_idx ON user_roles (organization_id);

-- Server-side sessions: the cookie carries a random token, the table only its SHA-256.
CREATE TABLE sessions (
  token_hash    bytea PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users (id),
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL
);
-- Serves: signing out everywhere / listing a user's sessions.
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- One accountability case per official and mistake; the tolerance examination starts with it (Art. 11, R1).
CREATE TABLE cases (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  official_id     uuid NOT NULL REFERENCES officials (id),
  -- The accountability organ: it decides tolerance too ("谁问责追责、谁容错", R14).
  organ_id        uuid NOT NULL REFERENCES organizations (id),
  title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description     text NOT NULL,
  state           text NOT NULL,
  -- The policy pack in force when the case was opened; the case is always assessed under it.
  policy_id       text NOT NULL,
  policy_version  text NOT NULL,
  opened_by       uuid NOT NULL REFERENCES users (id),
  opened_at       timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  -- Optimistic concurrency: every command states the version it read.
  version         integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);
-- Serves: cases of an organ (jurisdiction filter, case list).
CREATE INDEX cases_organ_idx ON cases (organ_id, opened_at DESC);
-- Serves: an official's own cases.
CREATE INDEX cases_official_idx ON cases (official_id);

-- The audit chain (R16). Append-only; each event is linked to the one before by its hash.
CREATE TABLE events (
  seq        bigint PRIMARY KEY CHECK (seq >= 1),
  at         timestamptz NOT NULL,
  actor      text NOT NULL,
  case_id    uuid REFERENCES cases (id),
  type       text NOT NULL,
  payload    jsonb NOT NULL,
  prev_hash  bytea NOT NULL,
  hash       bytea NOT NULL UNIQUE
);
-- Serves: the timeline of one case.
CREATE INDEX events_case_idx ON events (case_id, seq) WHERE case_id IS NOT NULL;

-- The single head row through which appends are serialized (taken FOR UPDATE). A sequence would leave gaps
-- on rollback; the head row cannot.
CREATE TABLE chain_head (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  seq        bigint NOT NULL CHECK (seq >= 0),
  hash       bytea NOT NULL,
  -- The chain's hash function, fixed when the database is created.
  algorithm  text NOT NULL CHECK (algorithm IN ('sha256'))
);
INSERT INTO chain_head (seq, hash, algorithm) VALUES (0, decode(repeat('00', 32), 'hex'), 'sha256');

CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit chain is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER events_refuse_update_delete BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER events_refuse_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER chain_head_refuse_delete BEFORE DELETE ON chain_head
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER chain_head_refuse_truncate BEFORE TRUNCATE ON chain_head
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();

-- A second wall behind the application: an event must extend the head exactly, so no writer can fork the
-- chain or leave a gap, even one that bypasses our code.
CREATE FUNCTION check_event_extends_head() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head chain_head%ROWTYPE;
BEGIN
  SELECT * INTO head FROM chain_head WHERE singleton;
  IF NEW.seq <> head.seq + 1 OR NEW.prev_hash <> head.hash THEN
    RAISE EXCEPTION 'event % does not extend the chain head (seq %)', NEW.seq, head.seq
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER events_extend_head BEFORE INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION check_event_extends_head();

-- The head may only move forward by one, onto an event that exists.
CREATE FUNCTION check_head_advance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seq <> OLD.seq + 1 OR NEW.algorithm <> OLD.algorithm
     OR NOT EXISTS (SELECT 1 FROM events WHERE seq = NEW.seq AND hash = NEW.hash) THEN
    RAISE EXCEPTION 'the chain head may only advance by one onto an existing event'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER chain_head_advance BEFORE UPDATE ON chain_head
  FOR EACH ROW EXECUTE FUNCTION check_head_advance();
