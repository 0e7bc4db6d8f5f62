-- A second wall in PostgreSQL (security.md, Access): row-level security on the case tables, keyed on the
-- jurisdiction the application sets for the connection. A query that forgot its jurisdiction clause still reads
-- (and changes) only the rows of the signed-in user's jurisdiction. Runs on PostgreSQL 15 and 18.
--
-- How it is used (src/db/row-security.ts): while a route handler runs, every connection the application takes
-- from its pool is switched to the role `rongcuo_app` (SET ROLE: not the owner, not a superuser, no BYPASSRLS, so
-- the policies apply even when the login role is a superuser) with these settings, each a comma-separated list of
-- ids computed once per request from the user's grants by rongcuo_row_scope() below; they are reset before the
-- connection goes back to the pool:
--   rongcuo.case_organs    organs whose cases the user sees (the subtree of handler, supervisor and organization-
--                          department grants, strictly below approver grants, the organ of member grants)
--   rongcuo.managing_orgs  organs whose managed officials' cases the user works on (follow-up, statistics and
--                          sharing: the subtree of handler grants and of an organization department's committee)
--   rongcuo.officials      the user's own official
--   rongcuo.party_orgs     the organizations whose officials' cases their party organization sees
--   rongcuo.case_ids       single cases: an expert's invitations, the publicity department's typical-case sources
--   rongcuo.plan_ids       rectification plans in which the user's official owns an item
-- With no setting (a connection switched to rongcuo_app by anyone else) every policy returns nothing: fail closed.
-- System work — migrations, the demo seed, sweeps, the notification scheduler, the CLI, the audit hook — runs as
-- the login role, which owns the tables and is therefore not subject to these policies.

-- The role is cluster-wide: every database of the cluster (test databases, a restored copy) shares it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rongcuo_app') THEN
    BEGIN
      CREATE ROLE rongcuo_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS;
    EXCEPTION
      -- Another database of the same cluster created it at the same moment.
      WHEN duplicate_object OR unique_violation THEN NULL;
      WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'row-level security needs the role rongcuo_app and % may not create it; as a superuser run: CREATE ROLE rongcuo_app NOLOGIN; GRANT rongcuo_app TO %;',
          current_user, quote_ident(current_user);
    END;
  END IF;
  -- The login role switches to rongcuo_app for each request, so it must be a member with the right to SET it.
  -- (A superuser may SET any role. From PostgreSQL 16 on, the creator of a role holds only its ADMIN option,
  -- not SET, unless granted as here.)
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    BEGIN
      EXECUTE format('GRANT rongcuo_app TO %I', current_user);
    EXCEPTION WHEN insufficient_privilege THEN
      IF NOT pg_has_role(current_user, 'rongcuo_app', 'MEMBER') THEN
        RAISE EXCEPTION 'row-level security needs % to be a member of rongcuo_app; as a superuser run: GRANT rongcuo_app TO %;',
          current_user, quote_ident(current_user);
      END IF;
    END;
  END IF;
END
$$;

-- What the application's requests may do. Reading and writing, never TRUNCATE; DELETE only where a request
-- deletes (sessions, revoked role grants, second-factor material); no UPDATE or DELETE on the append-only
-- records, whose triggers refuse them anyway.
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO rongcuo_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO rongcuo_app;
REVOKE UPDATE ON events, case_files, rectification_reports, rectification_checks, rectification_reminders,
  rectification_poor_records, penalties, comprehensive_assessments, shared_conclusions, reminder_follow_ups
  FROM rongcuo_app;
REVOKE INSERT, UPDATE ON schema_migrations FROM rongcuo_app;
GRANT DELETE ON sessions, user_roles TO rongcuo_app;
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['recovery_codes', 'user_totp', 'user_sm2_keys'] LOOP
    IF to_regclass(t) IS NOT NULL THEN
      EXECUTE format('GRANT DELETE ON %I TO rongcuo_app', t);
    END IF;
  END LOOP;
END
$$;
-- Tables added by later migrations (run by the same login role) are readable and writable by requests too; an
-- append-only one revokes UPDATE, and one holding case content enables row-level security with a policy
-- (test/row-security.db.test.ts fails on a table carrying a case id that is not behind the wall, unless it is
-- listed there with the reason).
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE ON TABLES TO rongcuo_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO rongcuo_app;

-- The jurisdiction of a user for the settings above, derived here from their grants (user_roles) — the union of
-- every reach the application's rules give them over cases, so the wall never hides a row a rule lets them read:
--   case organs: visibleCasesWhere (src/access/case.ts) — the subtree of handler and supervisor grants, strictly
--     below approver grants, the organ of member grants — and the subtree of organization-department grants (a
--     supervising department at or above a rectification plan's organ, commands/rectification/access.ts);
--   managing organs: follow-up, statistics and sharing — the subtree of handler grants and of the committee an
--     organization department works for (commands/followup/jurisdiction.ts, committeeRoot);
--   officials / party organizations: the user's own official; their party-organization grants;
--   single cases: an expert's invitations; for the publicity department, the source cases of the typical cases
--     submitted within its committee's subtree (it checks their text against the case);
--   rectification plans in which the user's official owns an item.
-- Called by the application as the login role once per request (src/access/row-scope.ts). One statement in
-- PL/pgSQL with a generic plan, so that each connection plans it once.
CREATE FUNCTION rongcuo_row_scope(
  p_user uuid,
  OUT case_organs uuid[], OUT managing_orgs uuid[], OUT officials uuid[], OUT party_orgs uuid[], OUT case_ids uuid[], OUT plan_ids uuid[])
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  WITH RECURSIVE
  grants AS (SELECT r.role, r.organization_id AS org FROM user_roles r WHERE r.user_id = p_user),
  -- mode: 'subtree' (the organ and all below), 'below' (strictly below), 'self' (the organ only).
  starts(kind, id, mode) AS (
    SELECT 'case', g.org,
           CASE g.role WHEN 'approver' THEN 'below' WHEN 'deliberation-member' THEN 'self' ELSE 'subtree' END
      FROM grants g
     WHERE g.role IN ('handler', 'supervisor', 'organization-department', 'approver', 'deliberation-member')
    UNION ALL
    SELECT CASE g.role WHEN 'publicity' THEN 'publicity' ELSE 'managing' END,
           CASE WHEN o.parent_id IS NOT NULL
                 AND ((g.role = 'organization-department' AND o.type = 'organization-department')
                   OR (g.role = 'publicity' AND o.type = 'publicity-department'))
                THEN o.parent_id ELSE o.id END,
           'subtree'
      FROM grants g JOIN organizations o ON o.id = g.org
     WHERE g.role IN ('handler', 'organization-department', 'publicity')
  ),
  down(kind, id, descend) AS (
    SELECT s.kind, s.id, s.mode = 'subtree' FROM starts s WHERE s.mode IN ('subtree', 'self')
    UNION
    SELECT s.kind, o.id, true FROM starts s JOIN organizations o ON o.parent_id = s.id WHERE s.mode = 'below'
    UNION
    SELECT d.kind, o.id, true FROM down d JOIN organizations o ON o.parent_id = d.id WHERE d.descend
  ),
  me AS (SELECT u.official_id FROM users u WHERE u.id = p_user)
  SELECT
    ARRAY(SELECT DISTINCT d.id FROM down d WHERE d.kind = 'case'),
    ARRAY(SELECT DISTINCT d.id FROM down d WHERE d.kind = 'managing'),
    ARRAY(SELECT me.official_id FROM me WHERE me.official_id IS NOT NULL),
    ARRAY(SELECT DISTINCT g.org FROM grants g WHERE g.role = 'party-organization'),
    ARRAY(
      SELECT i.case_id FROM expert_invitations i
       WHERE i.expert_id = p_user AND EXISTS (SELECT 1 FROM grants g WHERE g.role = 'expert')
      UNION
      SELECT t.source_case_id FROM typical_cases t
       WHERE t.status <> 'draft' AND t.organ_id IN (SELECT d.id FROM down d WHERE d.kind = 'publicity')),
    ARRAY(SELECT DISTINCT i.plan_id FROM rectification_items i WHERE i.owner_official_id IN (SELECT me.official_id FROM me))
  INTO case_organs, managing_orgs, officials, party_orgs, case_ids, plan_ids;
END
$$;
-- Requests have no use for it: only the login role computes a scope.
REVOKE EXECUTE ON FUNCTION rongcuo_row_scope(uuid) FROM PUBLIC;

-- The cases of the jurisdiction. Each list is split once per statement and hashed (`x IN (SELECT …)` becomes a
-- hashed subplan), so a row costs a hash probe however long the list (an approver at the committee sees below it
-- every organ); the officials clause is a primary-key probe, made only for rows no earlier clause admitted. The
-- settings are read inline rather than through a function: each policy is expanded into every statement that
-- touches a case table, and inlining a function there costs planning time on every statement. An unset or reset
-- setting splits into nothing (fail closed); a malformed one is an error.
ALTER TABLE cases ENABLE ROW LEVEL SECURITY;
CREATE POLICY cases_within_scope ON cases TO rongcuo_app
  USING (
    organ_id IN (SELECT string_to_table(current_setting('rongcuo.case_organs', true), ',')::uuid)
    OR id IN (SELECT string_to_table(current_setting('rongcuo.case_ids', true), ',')::uuid)
    OR official_id IN (SELECT string_to_table(current_setting('rongcuo.officials', true), ',')::uuid)
    OR EXISTS (
      SELECT 1 FROM officials o
      WHERE o.id = cases.official_id
        AND (o.managing_org_id IN (SELECT string_to_table(current_setting('rongcuo.managing_orgs', true), ',')::uuid)
             OR o.organization_id IN (SELECT string_to_table(current_setting('rongcuo.party_orgs', true), ',')::uuid))));

-- Tables of a case's content: a row is visible (and writable) when its case is. The subquery on cases is itself
-- filtered by the policy above. EXISTS rather than `case_id IN (SELECT id FROM cases)`: the planner may then probe
-- the one case of a row by its primary key instead of hashing every visible case for each statement (the reads
-- of one case's evidence, opinions… stay as cheap as without the wall).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'evidence', 'opinions', 'applications', 'expert_invitations', 'assessments', 'deliberations', 'decisions',
    'services', 'file_entries', 'appeals', 'documents', 'case_files', 'case_established_exclusions', 'penalties'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I TO rongcuo_app USING (EXISTS (SELECT 1 FROM cases c WHERE c.id = %I.case_id))',
      t || '_within_scope', t, t);
  END LOOP;
END
$$;

ALTER TABLE evidence_attachments ENABLE ROW LEVEL SECURITY;
CREATE POLICY evidence_attachments_within_scope ON evidence_attachments TO rongcuo_app
  USING (EXISTS (SELECT 1 FROM evidence e WHERE e.id = evidence_attachments.evidence_id));

-- Rectification: a unit's plan holds no case content; a case's plan is visible with its case, or to an official
-- who owns one of its items. Items and what hangs off them follow their plan.
ALTER TABLE rectification_plans ENABLE ROW LEVEL SECURITY;
CREATE POLICY rectification_plans_within_scope ON rectification_plans TO rongcuo_app
  USING (
    case_id IS NULL
    OR EXISTS (SELECT 1 FROM cases c WHERE c.id = rectification_plans.case_id)
    OR id IN (SELECT string_to_table(current_setting('rongcuo.plan_ids', true), ',')::uuid));
ALTER TABLE rectification_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY rectification_items_within_scope ON rectification_items TO rongcuo_app
  USING (EXISTS (SELECT 1 FROM rectification_plans p WHERE p.id = rectification_items.plan_id));
ALTER TABLE rectification_poor_records ENABLE ROW LEVEL SECURITY;
CREATE POLICY rectification_poor_records_within_scope ON rectification_poor_records TO rongcuo_app
  USING (EXISTS (SELECT 1 FROM rectification_plans p WHERE p.id = rectification_poor_records.plan_id));
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['rectification_reports', 'rectification_checks', 'rectification_reminders'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I TO rongcuo_app USING (EXISTS (SELECT 1 FROM rectification_items i WHERE i.id = %I.item_id))',
      t || '_within_scope', t, t);
  END LOOP;
END
$$;
ALTER TABLE rectification_report_attachments ENABLE ROW LEVEL SECURITY;
CREATE POLICY rectification_report_attachments_within_scope ON rectification_report_attachments TO rongcuo_app
  USING (EXISTS (SELECT 1 FROM rectification_reports r WHERE r.id = rectification_report_attachments.report_id));

-- Typical cases: a published one is public; a draft or one under review is visible with its source case (the
-- drafting organ's handlers; the publicity department through rongcuo.case_ids).
ALTER TABLE typical_cases ENABLE ROW LEVEL SECURITY;
CREATE POLICY typical_cases_within_scope ON typical_cases TO rongcuo_app
  USING (status = 'published' OR EXISTS (SELECT 1 FROM cases c WHERE c.id = typical_cases.source_case_id));
