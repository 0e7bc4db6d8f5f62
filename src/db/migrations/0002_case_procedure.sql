-- The accountability case and its tolerance determination, Art. 11–16.

ALTER TABLE cases
  ADD COLUMN professional boolean NOT NULL DEFAULT false,
  ADD COLUMN outcome text CHECK (outcome IN ('exempt', 'reduced', 'not_tolerated', 'revoked')),
  ADD COLUMN decided_at timestamptz,
  ADD COLUMN served_at timestamptz,
  ADD COLUMN appeal_deadline timestamptz,
  ADD COLUMN closed_at timestamptz,
  ADD CONSTRAINT cases_state_check CHECK (state IN (
    'investigating', 'deliberated', 'awaiting-approval', 'decided', 'served', 'under-appeal', 'appeal-decided', 'closed'));
-- Serves: case list filtered by state / outcome within an organ's jurisdiction.
CREATE INDEX cases_organ_state_idx ON cases (organ_id, state);

-- Files are stored once by content (SHA-256); evidence attachments point at them.
CREATE TABLE files (
  sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size        bigint NOT NULL CHECK (size >= 0),
  media_type  text NOT NULL,
  stored_at   timestamptz NOT NULL
);

CREATE TABLE evidence (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id      uuid NOT NULL REFERENCES cases (id),
  title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description  text NOT NULL DEFAULT '',
  kind         text NOT NULL CHECK (kind IN ('document', 'testimony', 'photo', 'record', 'other')),
  recorded_by  uuid NOT NULL REFERENCES users (id),
  recorded_at  timestamptz NOT NULL
);
-- Serves: a case's evidence list.
CREATE INDEX evidence_case_idx ON evidence (case_id, recorded_at);

CREATE TABLE evidence_attachments (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  evidence_id  uuid NOT NULL REFERENCES evidence (id),
  file_sha256  text NOT NULL REFERENCES files (sha256),
  filename     text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
  media_type   text NOT NULL,
  size         bigint NOT NULL
);
-- Serves: attachments of an evidence item.
CREATE INDEX evidence_attachments_evidence_idx ON evidence_attachments (evidence_id);

-- Opinions heard (Art. 12): the official's statement, units, society and interested parties, experts.
CREATE TABLE opinions (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id      uuid NOT NULL REFERENCES cases (id),
  kind         text NOT NULL CHECK (kind IN ('statement', 'unit', 'interested-party', 'society', 'expert')),
  source       text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
  content      text NOT NULL CHECK (length(content) >= 1),
  recorded_by  uuid NOT NULL REFERENCES users (id),
  recorded_at  timestamptz NOT NULL
);
-- Serves: a case's opinions; the R3 checks (statement / expert opinion on file).
CREATE INDEX opinions_case_idx ON opinions (case_id, kind);

-- Written tolerance applications (Art. 11 ¶2).
CREATE TABLE applications (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id         uuid NOT NULL REFERENCES cases (id),
  applicant_kind  text NOT NULL CHECK (applicant_kind IN ('official', 'party-organization')),
  applicant_id    uuid NOT NULL REFERENCES users (id),
  party_org_id    uuid REFERENCES organizations (id),
  content         text NOT NULL CHECK (length(content) >= 1),
  submitted_at    timestamptz NOT NULL,
  CHECK ((applicant_kind = 'party-organization') = (party_org_id IS NOT NULL))
);
-- Serves: a case's applications (each must be answered, R2).
CREATE INDEX applications_case_idx ON applications (case_id, submitted_at);

-- Experts invited on a professional or technical question (Art. 12 ¶2); they see only what is shared here.
CREATE TABLE expert_invitations (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id         uuid NOT NULL REFERENCES cases (id),
  expert_id       uuid NOT NULL REFERENCES users (id),
  question        text NOT NULL CHECK (length(question) >= 1),
  evidence_ids    uuid[] NOT NULL DEFAULT '{}',
  invited_by      uuid NOT NULL REFERENCES users (id),
  invited_at      timestamptz NOT NULL,
  opinion_id      uuid REFERENCES opinions (id),
  UNIQUE (case_id, expert_id)
);
-- Serves: an expert's invitations (visibility of cases to experts).
CREATE INDEX expert_invitations_expert_idx ON expert_invitations (expert_id);

-- Each recorded assessment keeps the engine's output and the pack version it ran under; the latest is current.
CREATE TABLE assessments (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id         uuid NOT NULL REFERENCES cases (id),
  input           jsonb NOT NULL,
  engine_output   jsonb NOT NULL,
  policy_id       text NOT NULL,
  policy_version  text NOT NULL,
  note            text NOT NULL DEFAULT '',
  recorded_by     uuid NOT NULL REFERENCES users (id),
  recorded_at     timestamptz NOT NULL
);
-- Serves: the latest assessment of a case.
CREATE INDEX assessments_case_idx ON assessments (case_id, recorded_at DESC);

-- The collective deliberation (Art. 13), as minuted.
CREATE TABLE deliberations (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id                 uuid NOT NULL REFERENCES cases (id),
  held_on                 date NOT NULL,
  member_count            integer NOT NULL CHECK (member_count >= 1),
  members_present         uuid[] NOT NULL,
  member_opinions         jsonb NOT NULL,
  accountability_opinion  text NOT NULL CHECK (length(accountability_opinion) >= 1),
  tolerance_opinion       text NOT NULL CHECK (length(tolerance_opinion) >= 1),
  proposed_outcome        text NOT NULL CHECK (proposed_outcome IN ('exempt', 'reduced', 'not_tolerated')),
  application_answers     jsonb NOT NULL,
  assessment_id           uuid NOT NULL REFERENCES assessments (id),
  departure_reason        text,
  recorded_by             uuid NOT NULL REFERENCES users (id),
  recorded_at             timestamptz NOT NULL
);
-- Serves: the latest deliberation of a case.
CREATE INDEX deliberations_case_idx ON deliberations (case_id, recorded_at DESC);

-- Every version of the decision is kept (R10); exactly one is current per case.
CREATE TABLE decisions (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id            uuid NOT NULL REFERENCES cases (id),
  version            integer NOT NULL CHECK (version >= 1),
  source             text NOT NULL CHECK (source IN ('original', 'appeal')),
  outcome            text NOT NULL CHECK (outcome IN ('exempt', 'reduced', 'not_tolerated', 'revoked')),
  reduction          text CHECK (reduction IN ('lighter', 'mitigated')),
  measures           text[] NOT NULL DEFAULT '{}',
  measure_details    text NOT NULL DEFAULT '',
  tolerance_opinion  text NOT NULL CHECK (length(tolerance_opinion) >= 1),
  tolerance_reasons  text NOT NULL DEFAULT '',
  departure_reason   text,
  deliberation_id    uuid REFERENCES deliberations (id),
  approval_state     text NOT NULL CHECK (approval_state IN ('not-required', 'pending', 'approved', 'returned')),
  approved_by        uuid REFERENCES users (id),
  approved_at        timestamptz,
  approval_note      text,
  current            boolean NOT NULL,
  in_force           boolean NOT NULL,
  decided_by         uuid NOT NULL REFERENCES users (id),
  decided_at         timestamptz NOT NULL,
  UNIQUE (case_id, version),
  CHECK ((outcome = 'reduced') = (reduction IS NOT NULL))
);
-- At most one current version per case.
CREATE UNIQUE INDEX decisions_current_key ON decisions (case_id) WHERE current;

-- Service of the decision and the explanation of the tolerance outcome (Art. 15).
CREATE TABLE services (
  id                          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id                     uuid NOT NULL REFERENCES cases (id),
  decision_id                 uuid NOT NULL REFERENCES decisions (id),
  served_at                   timestamptz NOT NULL,
  explanation_to_official     text NOT NULL CHECK (length(explanation_to_official) >= 1),
  party_org_id                uuid NOT NULL REFERENCES organizations (id),
  explanation_to_party_org    text NOT NULL CHECK (length(explanation_to_party_org) >= 1),
  recorded_by                 uuid NOT NULL REFERENCES users (id),
  recorded_at                 timestamptz NOT NULL
);
-- Serves: the service record(s) of a case.
CREATE INDEX services_case_idx ON services (case_id);

-- Entries in the official's personnel file (人事档案) and integrity file (廉政档案), Art. 15.
CREATE TABLE file_entries (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  official_id  uuid NOT NULL REFERENCES officials (id),
  case_id      uuid NOT NULL REFERENCES cases (id),
  decision_id  uuid NOT NULL REFERENCES decisions (id),
  file_kind    text NOT NULL CHECK (file_kind IN ('personnel', 'integrity')),
  summary      text NOT NULL,
  entered_at   timestamptz NOT NULL
);
-- Serves: an official's file entries.
CREATE INDEX file_entries_official_idx ON file_entries (official_id, entered_at);

-- Appeals (Art. 16): lodged by the official within the window, decided by someone who took no part.
CREATE TABLE appeals (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id           uuid NOT NULL REFERENCES cases (id),
  decision_id       uuid NOT NULL REFERENCES decisions (id),
  grounds           text NOT NULL CHECK (length(grounds) >= 1),
  lodged_by         uuid NOT NULL REFERENCES users (id),
  lodged_at         timestamptz NOT NULL,
  due_at            timestamptz NOT NULL,
  outcome           text CHECK (outcome IN ('upheld', 'changed', 'revoked')),
  reasons           text,
  decided_by        uuid REFERENCES users (id),
  decided_at        timestamptz,
  new_decision_id   uuid REFERENCES decisions (id)
);
-- Serves: a case's appeals.
CREATE INDEX appeals_case_idx ON appeals (case_id);
