-- "The latest assessment / deliberation" must not depend on two records' timestamps differing: an identity
-- column gives their order of recording, even within one millisecond or across servers with skewed clocks.
ALTER TABLE assessments ADD COLUMN position bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE deliberations ADD COLUMN position bigint GENERATED ALWAYS AS IDENTITY;
-- Serves: the latest assessment / deliberation of a case.
CREATE INDEX assessments_case_position_idx ON assessments (case_id, position DESC);
CREATE INDEX deliberations_case_position_idx ON deliberations (case_id, position DESC);
DROP INDEX assessments_case_idx;
DROP INDEX deliberations_case_idx;
