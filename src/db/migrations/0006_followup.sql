-- After the decision (Art. 17, 19): follow-up visits and talks, penalties with their effect periods, organ
-- period settings, comprehensive assessments and prevention reminders. Runs on PostgreSQL 15 and 18.

-- Follow-up visits and heart-to-heart talks (回访教育、谈心谈话, Art. 19(3)). Scheduled ones are created at
-- service with a due day and an offset; an unscheduled talk is recorded as done at once (no due day).
CREATE TABLE followup_visits (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  official_id    uuid NOT NULL REFERENCES officials (id),
  case_id        uuid REFERENCES cases (id),
  kind           text NOT NULL CHECK (kind IN ('visit', 'talk')),
  offset_months  integer CHECK (offset_months BETWEEN 1 AND 120),
  due_on         date,
  scheduled_at   timestamptz NOT NULL,
  done_at        timestamptz,
  record         text CHECK (length(record) >= 1),
  done_by        uuid REFERENCES users (id),
  CHECK ((done_at IS NULL) = (record IS NULL) AND (done_at IS NULL) = (done_by IS NULL)),
  CHECK (due_on IS NOT NULL OR done_at IS NOT NULL),
  CHECK ((offset_months IS NULL) = (due_on IS NULL))
);
-- Serves: scheduling at service never schedules the same offset twice for a case.
CREATE UNIQUE INDEX followup_visits_case_offset_key ON followup_visits (case_id, offset_months) WHERE offset_months IS NOT NULL;
-- Serves: visits still to be made, due by the end of this week (the "due this week" list).
CREATE INDEX followup_visits_open_idx ON followup_visits (due_on) WHERE done_at IS NULL;
-- Serves: an official's visits and talks.
CREATE INDEX followup_visits_official_idx ON followup_visits (official_id, scheduled_at);

-- Penalties recorded for a decided case, with the effect period computed by the command from the period data
-- (src/followup/periods.ts or the organ's setting) and that period's source stored beside it.
CREATE TABLE penalties (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id         uuid NOT NULL REFERENCES cases (id),
  decision_id     uuid NOT NULL REFERENCES decisions (id),
  official_id     uuid NOT NULL REFERENCES officials (id),
  system          text NOT NULL CHECK (system IN ('party', 'government', 'other')),
  kind            text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9-]*$'),
  label           text NOT NULL CHECK (length(label) >= 1),
  term_months     integer CHECK (term_months IN (12, 24)),
  effective_from  date NOT NULL,
  period_months   integer NOT NULL CHECK (period_months BETWEEN 0 AND 240),
  effect_until    date NOT NULL,
  period_source   text NOT NULL CHECK (length(period_source) >= 1),
  recorded_by     uuid NOT NULL REFERENCES users (id),
  recorded_at     timestamptz NOT NULL,
  UNIQUE (decision_id, system, kind),
  CHECK ((system = 'party' AND kind = 'probation') = (term_months IS NOT NULL)),
  CHECK (effect_until >= effective_from)
);
-- Serves: the selection check (an official's penalties still in effect).
CREATE INDEX penalties_official_idx ON penalties (official_id, effect_until);
-- Serves: comprehensive assessments falling due when a penalty's period ends.
CREATE INDEX penalties_effect_until_idx ON penalties (effect_until);
-- Serves: the penalties of a case.
CREATE INDEX penalties_case_idx ON penalties (case_id);

CREATE TRIGGER penalties_refuse_update_delete BEFORE UPDATE OR DELETE ON penalties
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();

-- Effect periods an organ configures for measures outside party and government penalties (诫勉, 组织处理 …).
CREATE TABLE penalty_period_settings (
  organ_id  uuid NOT NULL REFERENCES organizations (id),
  kind      text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9-]*$'),
  label     text NOT NULL CHECK (length(label) >= 1),
  months    integer NOT NULL CHECK (months BETWEEN 0 AND 240),
  source    text NOT NULL CHECK (length(source) >= 1),
  set_by    uuid REFERENCES users (id),
  set_at    timestamptz NOT NULL,
  PRIMARY KEY (organ_id, kind)
);

-- Comprehensive assessments (综合研判, Art. 19(4)): the weighed factors, the conclusion, and the organization
-- department it was sent to.
CREATE TABLE comprehensive_assessments (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  official_id        uuid NOT NULL REFERENCES officials (id),
  basis              text NOT NULL CHECK (basis IN ('exemption', 'penalty-ended', 'other')),
  case_ids           uuid[] NOT NULL DEFAULT '{}',
  penalty_id         uuid REFERENCES penalties (id),
  due_on             date,
  nature             text NOT NULL CHECK (length(nature) >= 1),
  motive             text NOT NULL CHECK (length(motive) >= 1),
  degree             text NOT NULL CHECK (length(degree) >= 1),
  tolerance          text NOT NULL CHECK (length(tolerance) >= 1),
  usual_performance  text NOT NULL CHECK (length(usual_performance) >= 1),
  performance_since  text NOT NULL CHECK (length(performance_since) >= 1),
  conclusion         text NOT NULL CHECK (conclusion IN ('continue-in-post', 'recommend-for-use', 'recommend-for-promotion', 'further-observation')),
  note               text NOT NULL DEFAULT '',
  sent_to_org_id     uuid NOT NULL REFERENCES organizations (id),
  recorded_by        uuid NOT NULL REFERENCES users (id),
  recorded_at        timestamptz NOT NULL,
  CHECK ((basis = 'penalty-ended') = (penalty_id IS NOT NULL)),
  CHECK (basis <> 'exemption' OR cardinality(case_ids) >= 1)
);
-- Serves: an official's assessments, latest first.
CREATE INDEX comprehensive_assessments_official_idx ON comprehensive_assessments (official_id, recorded_at DESC);
-- Serves: whether an exempt case's assessment is done (due list).
CREATE INDEX comprehensive_assessments_case_ids_idx ON comprehensive_assessments USING gin (case_ids);
-- Serves: whether a penalty's end-of-period assessment is done (due list).
CREATE INDEX comprehensive_assessments_penalty_idx ON comprehensive_assessments (penalty_id) WHERE penalty_id IS NOT NULL;

CREATE TRIGGER comprehensive_assessments_refuse_update_delete BEFORE UPDATE OR DELETE ON comprehensive_assessments
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();

-- Prevention reminders (预防提醒, Art. 19(1)): not accountability; never read by the selection check.
CREATE TABLE prevention_reminders (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  official_id   uuid NOT NULL REFERENCES officials (id),
  organ_id      uuid NOT NULL REFERENCES organizations (id),
  kind          text NOT NULL CHECK (kind IN ('reminder', 'talk')),
  given_on      date NOT NULL,
  problem       text NOT NULL CHECK (length(problem) >= 1),
  follow_up     text NOT NULL DEFAULT '',
  follow_up_on  date,
  recorded_by   uuid NOT NULL REFERENCES users (id),
  recorded_at   timestamptz NOT NULL
);
-- Serves: an official's reminders, latest first.
CREATE INDEX prevention_reminders_official_idx ON prevention_reminders (official_id, given_on DESC);
-- Serves: reminders whose follow-up falls due.
CREATE INDEX prevention_reminders_follow_up_idx ON prevention_reminders (follow_up_on) WHERE follow_up_on IS NOT NULL;
