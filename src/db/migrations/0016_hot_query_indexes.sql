-- Indexes for the reads every user makes all day, found with EXPLAIN (ANALYZE, BUFFERS) on a generated province
-- (npm run bench -- generate; test/hot-query-plans.db.test.ts fails when one of these reads plans a sequential scan
-- of a large table again). Runs on PostgreSQL 15 and 18.

-- The case list, newest first (queries/find-cases.ts): ORDER BY opened_at DESC, id DESC LIMIT n, and the keyset
-- condition (opened_at, id) < (…) of the next page. Walking this index, the list stops after its page however
-- wide the jurisdiction (a provincial handler sees every case), instead of sorting all visible cases for 20; the
-- count stops at its cap the same way. A date range (openedFrom/openedTo, the statistics' links) uses it too.
CREATE INDEX cases_opened_idx ON cases (opened_at DESC, id DESC);

-- The workbench (queries/workbench.ts) reads only the cases at a step where the user may act, by state: the
-- appeals under way below a superior handler, what awaits an approver's approval. Most cases are closed; these
-- are few.
CREATE INDEX cases_state_idx ON cases (state, organ_id) WHERE state <> 'closed';

-- The row-level policy on cases (0014): its last clause (the cases of officials the user's organs manage or whose
-- party organization they are) was planned, at the top of a statement, as a hashed list of every matching
-- official — a sequential scan of the whole directory, hundreds of thousands of officials, for any statement
-- where an earlier clause does not admit every row. OFFSET 0 keeps it a probe of the one case's official by
-- primary key, made only for a row no earlier clause admitted (the planner may neither hash it nor turn it into
-- a join). Otherwise the same policy.
DROP POLICY cases_within_scope ON cases;
CREATE POLICY cases_within_scope ON cases TO rongcuo_app
  USING (
    organ_id IN (SELECT string_to_table(current_setting('rongcuo.case_organs', true), ',')::uuid)
    OR id IN (SELECT string_to_table(current_setting('rongcuo.case_ids', true), ',')::uuid)
    OR official_id IN (SELECT string_to_table(current_setting('rongcuo.officials', true), ',')::uuid)
    OR EXISTS (
      SELECT 1 FROM officials o
      WHERE o.id = cases.official_id
        AND (o.managing_org_id IN (SELECT string_to_table(current_setting('rongcuo.managing_orgs', true), ',')::uuid)
             OR o.organization_id IN (SELECT string_to_table(current_setting('rongcuo.party_orgs', true), ',')::uuid))
      OFFSET 0));
