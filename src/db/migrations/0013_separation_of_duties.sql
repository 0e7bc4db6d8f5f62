-- Three administrators (三权分立, 等保 8.1.5) and sensitivity labels (普通 / 敏感 / 核心) with user clearance.
-- Runs on PostgreSQL 15 and 18.

-- The one "administrator" becomes three: system (accounts, settings), security (roles, clearance, labels) and
-- audit (reads the audit trail). Existing administrators keep what they did: accounts and settings.
ALTER TABLE user_roles DROP CONSTRAINT user_roles_role_check;
UPDATE user_roles SET role = 'system-administrator' WHERE role = 'administrator';
ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_check CHECK (role IN (
  'handler', 'deliberation-member', 'approver', 'official', 'party-organization', 'expert',
  'organization-department', 'supervisor', 'publicity',
  'system-administrator', 'security-administrator', 'audit-administrator'));

-- No account combines two administrators, or an administrator with a business role: administrators never read
-- case content, and none of them can also check their own work. Locked so that two grants racing on one user
-- cannot both pass.
CREATE FUNCTION refuse_combined_duties() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  admin_roles constant text[] := ARRAY['system-administrator', 'security-administrator', 'audit-administrator'];
  other text;
BEGIN
  PERFORM 1 FROM users WHERE id = NEW.user_id FOR UPDATE;
  SELECT role INTO other FROM user_roles
   WHERE user_id = NEW.user_id AND role <> NEW.role
     AND (NEW.role = ANY (admin_roles) OR role = ANY (admin_roles))
   LIMIT 1;
  IF other IS NOT NULL THEN
    RAISE EXCEPTION 'separation of duties: % cannot be combined with % in one account', NEW.role, other
      USING ERRCODE = 'check_violation', CONSTRAINT = 'user_roles_separation_of_duties';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER user_roles_separation_of_duties BEFORE INSERT OR UPDATE ON user_roles
  FOR EACH ROW EXECUTE FUNCTION refuse_combined_duties();

-- Clearance of a user and the label of a case and of an attachment: 1 普通, 2 敏感, 3 核心. A user sees a case
-- or opens an attachment only when their clearance reaches its label (beside the roles, not instead of them).
ALTER TABLE users ADD COLUMN clearance smallint NOT NULL DEFAULT 1 CHECK (clearance BETWEEN 1 AND 3);
ALTER TABLE cases ADD COLUMN sensitivity smallint NOT NULL DEFAULT 1 CHECK (sensitivity BETWEEN 1 AND 3);
ALTER TABLE evidence_attachments ADD COLUMN sensitivity smallint NOT NULL DEFAULT 1 CHECK (sensitivity BETWEEN 1 AND 3);

-- How long audit records are kept (网络安全法 第二十一条: at least six months). Nothing deletes them
-- automatically; the setting only ever rises, so no one can shorten what is already promised. No row means the
-- minimum, 184 days (a migration seeds no data: a restore starts from an empty schema).
CREATE TABLE audit_retention (
  singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  days        integer NOT NULL CHECK (days >= 184),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION refuse_shorter_retention() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.days < OLD.days THEN
    RAISE EXCEPTION 'audit retention can only be raised (from % days)', OLD.days
      USING ERRCODE = 'check_violation', CONSTRAINT = 'audit_retention_only_upward';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_retention_only_upward BEFORE UPDATE OR DELETE ON audit_retention
  FOR EACH ROW EXECUTE FUNCTION refuse_shorter_retention();
