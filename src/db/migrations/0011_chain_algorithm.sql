-- The audit chain's hash follows the configured crypto provider (密评): SM3 under `gm`, SHA-256 under `intl`.
-- The function is chosen when the database is created — `migrate` sets it while the chain is still empty — and
-- is fixed from the first event on. Databases whose chain already holds events keep the SHA-256 they have.

ALTER TABLE chain_head DROP CONSTRAINT chain_head_algorithm_check;
ALTER TABLE chain_head ADD CONSTRAINT chain_head_algorithm_check CHECK (algorithm IN ('sha256', 'sm3'));

-- The head may only move forward by one, onto an event that exists; the one other change allowed is choosing
-- the hash function of a chain that has no event yet (nothing has been hashed with the old choice).
CREATE OR REPLACE FUNCTION check_head_advance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.seq = 0 AND NEW.seq = 0 AND NEW.hash = OLD.hash AND NOT EXISTS (SELECT 1 FROM events) THEN
    RETURN NEW;
  END IF;
  IF NEW.seq <> OLD.seq + 1 OR NEW.algorithm <> OLD.algorithm
     OR NOT EXISTS (SELECT 1 FROM events WHERE seq = NEW.seq AND hash = NEW.hash) THEN
    RAISE EXCEPTION 'the chain head may only advance by one onto an existing event'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;
