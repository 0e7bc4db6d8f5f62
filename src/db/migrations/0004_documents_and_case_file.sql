-- Official documents (Art. 13–15) and the sealed case file (问责追责案卷, Art. 14).

-- Templates an organ uploaded to replace the shipped defaults; the latest per organ and kind is in use.
CREATE TABLE document_templates (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organ_id     uuid NOT NULL REFERENCES organizations (id),
  kind         text NOT NULL CHECK (kind IN ('decision', 'tolerance-reasons', 'explanation-official', 'explanation-party-org', 'service-receipt', 'appeal-decision')),
  file_sha256  text NOT NULL REFERENCES files (sha256),
  filename     text NOT NULL,
  uploaded_by  uuid NOT NULL REFERENCES users (id),
  uploaded_at  timestamptz NOT NULL
);
-- Serves: the template in use for an organ and kind (the latest upload).
CREATE INDEX document_templates_organ_kind_idx ON document_templates (organ_id, kind, uploaded_at DESC);

-- Document numbers (文号) per organ and year, allocated without gaps: the row is locked and bumped in the
-- transaction that issues the document, so a rolled-back issue gives its number back.
CREATE TABLE document_numbers (
  organ_id  uuid NOT NULL REFERENCES organizations (id),
  year      integer NOT NULL CHECK (year BETWEEN 2000 AND 2999),
  last      integer NOT NULL CHECK (last >= 0),
  PRIMARY KEY (organ_id, year)
);

-- Every generated document; a regeneration is a new version with the same number.
CREATE TABLE documents (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id          uuid NOT NULL REFERENCES cases (id),
  kind             text NOT NULL CHECK (kind IN ('decision', 'tolerance-reasons', 'explanation-official', 'explanation-party-org', 'service-receipt', 'appeal-decision')),
  version          integer NOT NULL CHECK (version >= 1),
  number           text,
  decision_id      uuid REFERENCES decisions (id),
  file_sha256      text NOT NULL REFERENCES files (sha256),
  pdf_sha256       text REFERENCES files (sha256),
  template_sha256  text NOT NULL,
  generated_by     uuid NOT NULL REFERENCES users (id),
  generated_at     timestamptz NOT NULL,
  UNIQUE (case_id, kind, version)
);
-- Serves: a case's documents, latest version first.
CREATE INDEX documents_case_idx ON documents (case_id, kind, version DESC);

-- The sealed case file: its manifest (every item with its hash) and the manifest's own hash, which also
-- enters the audit chain.
CREATE TABLE case_files (
  case_id          uuid PRIMARY KEY REFERENCES cases (id),
  manifest         text NOT NULL,
  manifest_sha256  text NOT NULL CHECK (manifest_sha256 ~ '^[0-9a-f]{64}$'),
  sealed_by        uuid NOT NULL REFERENCES users (id),
  sealed_at        timestamptz NOT NULL
);

CREATE TRIGGER case_files_refuse_update_delete BEFORE UPDATE OR DELETE ON case_files
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
