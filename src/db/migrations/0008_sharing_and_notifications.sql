-- Information sharing (协作配合, Art. 19(2)) and reminders by e-mail. Runs on PostgreSQL 15 and 18.

-- Users' e-mail addresses, for the daily reminder digest (optional).
ALTER TABLE users ADD COLUMN email text CHECK (email IS NULL OR email ~ '^[^@\s]+@[^@\s]+$');

-- A conclusion about an official shared between the discipline commission and the organization department
-- that manage them. Append-only: the record of who shared what with whom.
CREATE TABLE shared_conclusions (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  official_id  uuid NOT NULL REFERENCES officials (id),
  kind         text NOT NULL CHECK (kind IN ('tolerance-decision', 'comprehensive-assessment', 'penalty')),
  record_id    uuid NOT NULL,
  case_id      uuid REFERENCES cases (id),
  from_org_id  uuid NOT NULL REFERENCES organizations (id),
  to_org_id    uuid NOT NULL REFERENCES organizations (id),
  note         text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  shared_by    uuid NOT NULL REFERENCES users (id),
  shared_at    timestamptz NOT NULL,
  CHECK (from_org_id <> to_org_id)
);
-- Serves: the recipient organ's inbox, newest first.
CREATE INDEX shared_conclusions_to_idx ON shared_conclusions (to_org_id, shared_at DESC);
-- Serves: the supervisors' log (shares from organs in their jurisdiction), newest first.
CREATE INDEX shared_conclusions_from_idx ON shared_conclusions (from_org_id, shared_at DESC);

CREATE TRIGGER shared_conclusions_refuse_update_delete BEFORE UPDATE OR DELETE ON shared_conclusions
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();

-- An organ's outgoing mail server. The password is only ever read to send; it is never logged or returned.
CREATE TABLE organ_smtp_settings (
  organ_id      uuid PRIMARY KEY REFERENCES organizations (id),
  host          text NOT NULL CHECK (length(host) BETWEEN 1 AND 255),
  port          integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
  secure        boolean NOT NULL DEFAULT false,
  from_address  text NOT NULL CHECK (from_address ~ '@'),
  username      text,
  password      text,
  enabled       boolean NOT NULL DEFAULT true,
  updated_at    timestamptz NOT NULL
);

-- One reminder digest per user and (Beijing) day: a second run the same day sends nothing.
CREATE TABLE notifications_sent (
  user_id  uuid NOT NULL REFERENCES users (id),
  day      date NOT NULL,
  sent_at  timestamptz NOT NULL,
  items    integer NOT NULL CHECK (items >= 1),
  PRIMARY KEY (user_id, day)
);
