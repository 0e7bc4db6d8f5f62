-- Typical cases (典型案例, Art. 20 ¶4): de-identified write-ups of closed cases, drafted by the deciding organ's
-- handlers, approved by the publicity department and published on a public page. Runs on PostgreSQL 15 and 18.
-- The source case is kept for the staff and the audit; it is never exposed by the public routes.
CREATE TABLE typical_cases (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source_case_id  uuid NOT NULL REFERENCES cases (id),
  -- The deciding organ of the source case: its handlers draft and edit.
  organ_id        uuid NOT NULL REFERENCES organizations (id),
  title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body            text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  status          text NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'published', 'returned')),
  -- The identifying terms the check found at the last write (a snapshot; publishing checks again).
  flagged_terms   text[] NOT NULL DEFAULT '{}',
  drafted_by      uuid NOT NULL REFERENCES users (id),
  drafted_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  submitted_at    timestamptz,
  approved_by     uuid REFERENCES users (id),
  approved_at     timestamptz,
  return_note     text,
  published_by    uuid REFERENCES users (id),
  published_at    timestamptz,
  version         integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  CHECK ((status = 'published') = (published_at IS NOT NULL)),
  CHECK (status NOT IN ('approved', 'published') OR approved_by IS NOT NULL)
);
-- Serves: the public list (published, newest first).
CREATE INDEX typical_cases_published_idx ON typical_cases (published_at DESC) WHERE status = 'published';
-- Serves: an organ's drafts (handlers' list).
CREATE INDEX typical_cases_organ_idx ON typical_cases (organ_id, updated_at DESC);
-- Serves: the typical cases drafted from a case.
CREATE INDEX typical_cases_source_idx ON typical_cases (source_case_id);
