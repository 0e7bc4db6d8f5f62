-- Rectification (整改, Art. 18; rule R12): plans for a decided case or for a unit, items with an owner, a deadline
-- and the long-term mechanism they set up, progress reports, check-offs by the supervising departments,
-- reminders for overdue items, and poor rectification opening a linked accountability case (Art. 10(4)).

-- The case whose poor rectification opened this one (Art. 18; the new case's Art. 10(4) exclusion is established).
ALTER TABLE cases ADD COLUMN linked_from_case_id uuid REFERENCES cases (id);
-- Serves: the cases opened from a given case's poor rectification (the source case's page).
CREATE INDEX cases_linked_from_idx ON cases (linked_from_case_id) WHERE linked_from_case_id IS NOT NULL;

-- A rectification plan: for a case (decided or later) or for a unit; organ_id is the organ that made it and
-- whose supervisors (and the organization departments above it) check it.
CREATE TABLE rectification_plans (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id      uuid REFERENCES cases (id),
  unit_id      uuid REFERENCES organizations (id),
  organ_id     uuid NOT NULL REFERENCES organizations (id),
  title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description  text NOT NULL,
  version      integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_by   uuid NOT NULL REFERENCES users (id),
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  CHECK ((case_id IS NULL) <> (unit_id IS NULL))
);
-- Serves: the plan of a case (GET /cases/:id/rectification); also makes a case have at most one plan.
CREATE UNIQUE INDEX rectification_plans_case_idx ON rectification_plans (case_id) WHERE case_id IS NOT NULL;
-- Serves: the plans of a unit (GET /rectification/plans?unitId=).
CREATE INDEX rectification_plans_unit_idx ON rectification_plans (unit_id, created_at DESC) WHERE unit_id IS NOT NULL;
-- Serves: the plans in a jurisdiction, newest first (GET /rectification/plans: organ_id IN subtree).
CREATE INDEX rectification_plans_organ_idx ON rectification_plans (organ_id, created_at DESC);

-- One rectification item. Its owner is an official (officials.id) or a unit (organizations.id), never both:
-- the official reports through their own account; for a unit the handler records what the unit reports.
CREATE TABLE rectification_items (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plan_id            uuid NOT NULL REFERENCES rectification_plans (id),
  title              text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  owner_official_id  uuid REFERENCES officials (id),
  owner_unit_id      uuid REFERENCES organizations (id),
  deadline           date NOT NULL,
  mechanism          text NOT NULL CHECK (length(mechanism) >= 1),
  status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'reported', 'done', 'returned')),
  position           integer NOT NULL,
  added_by           uuid NOT NULL REFERENCES users (id),
  added_at           timestamptz NOT NULL,
  done_at            timestamptz,
  CHECK ((owner_official_id IS NULL) <> (owner_unit_id IS NULL)),
  UNIQUE (plan_id, position)
);
-- Serves: the items of a plan in order (plan detail); the UNIQUE above is that index.
-- Serves: the overdue sweep (status IN ('open','returned') AND deadline < today), unfinished items only.
CREATE INDEX rectification_items_overdue_idx ON rectification_items (deadline) WHERE status IN ('open', 'returned');
-- Serves: an official's own items (what the official must report on).
CREATE INDEX rectification_items_owner_idx ON rectification_items (owner_official_id) WHERE owner_official_id IS NOT NULL;

-- Progress reports: text and the SHA-256 of attachments already in the file store.
CREATE TABLE rectification_reports (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  item_id      uuid NOT NULL REFERENCES rectification_items (id),
  content      text NOT NULL CHECK (length(content) >= 1),
  reported_by  uuid NOT NULL REFERENCES users (id),
  reported_at  timestamptz NOT NULL
);
-- Serves: an item's reports in order (plan detail).
CREATE INDEX rectification_reports_item_idx ON rectification_reports (item_id, reported_at);

CREATE TABLE rectification_report_attachments (
  report_id    uuid NOT NULL REFERENCES rectification_reports (id),
  file_sha256  text NOT NULL REFERENCES files (sha256),
  PRIMARY KEY (report_id, file_sha256)
);
-- The primary key serves: a report's attachments (plan detail).

-- Check-offs by a supervising department: accepted (the item is done) or sent back with a note.
CREATE TABLE rectification_checks (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  item_id      uuid NOT NULL REFERENCES rectification_items (id),
  report_id    uuid NOT NULL REFERENCES rectification_reports (id),
  accepted     boolean NOT NULL,
  note         text NOT NULL,
  checked_by   uuid NOT NULL REFERENCES users (id),
  checked_at   timestamptz NOT NULL,
  CHECK (accepted OR length(note) >= 1)
);
-- Serves: an item's check-offs in order (plan detail).
CREATE INDEX rectification_checks_item_idx ON rectification_checks (item_id, checked_at);

-- Reminders raised for overdue items: one per item and overdue episode. An episode is the item's deadline at
-- the time: the same deadline never raises a second reminder; a new deadline would start a new episode.
CREATE TABLE rectification_reminders (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  item_id         uuid NOT NULL REFERENCES rectification_items (id),
  deadline        date NOT NULL,
  raised_at       timestamptz NOT NULL,
  -- The supervising users reminded (supervisors and organization departments at or above the plan's organ).
  recipients      uuid[] NOT NULL,
  UNIQUE (item_id, deadline)
);
-- The UNIQUE above serves: the sweep's idempotence (ON CONFLICT DO NOTHING) and an item's reminders.
-- Serves: the reminders list, newest first (GET /rectification/reminders).
CREATE INDEX rectification_reminders_raised_idx ON rectification_reminders (raised_at DESC);

-- Poor rectification recorded for a plan, and the accountability case it opened.
CREATE TABLE rectification_poor_records (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plan_id         uuid NOT NULL REFERENCES rectification_plans (id),
  source_case_id  uuid REFERENCES cases (id),
  new_case_id     uuid NOT NULL UNIQUE REFERENCES cases (id),
  official_id     uuid NOT NULL REFERENCES officials (id),
  finding         text NOT NULL CHECK (length(finding) >= 1),
  item_ids        uuid[] NOT NULL,
  recorded_by     uuid NOT NULL REFERENCES users (id),
  recorded_at     timestamptz NOT NULL
);
-- Serves: a plan's poor-rectification records (plan detail).
CREATE INDEX rectification_poor_records_plan_idx ON rectification_poor_records (plan_id);

-- Art. 10 exclusions established for a case by a record outside its assessment (today: Art. 10(4) by poor
-- rectification). An assessment of the case must carry these values.
CREATE TABLE case_established_exclusions (
  case_id         uuid NOT NULL REFERENCES cases (id),
  exclusion       text NOT NULL CHECK (exclusion IN ('no-rectification')),
  value           boolean NOT NULL,
  basis           text NOT NULL,
  poor_record_id  uuid REFERENCES rectification_poor_records (id),
  established_at  timestamptz NOT NULL,
  PRIMARY KEY (case_id, exclusion)
);
-- The primary key serves: the exclusions established for a case (recording its assessment).

-- Reports, check-offs, reminders and poor-rectification records are the record of supervision: never rewritten.
CREATE TRIGGER rectification_reports_refuse_update_delete BEFORE UPDATE OR DELETE ON rectification_reports
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER rectification_checks_refuse_update_delete BEFORE UPDATE OR DELETE ON rectification_checks
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER rectification_reminders_refuse_update_delete BEFORE UPDATE OR DELETE ON rectification_reminders
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER rectification_poor_records_refuse_update_delete BEFORE UPDATE OR DELETE ON rectification_poor_records
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
