-- Follow-ups of prevention reminders (预防提醒, Art. 19(1)). Runs on PostgreSQL 15 and 18.

-- What a follow-up of a reminder found or did, whether the problem is resolved, and the next follow-up if one is
-- set (it then becomes the reminder's due follow-up, prevention_reminders.follow_up_on). Append-only: a record of
-- what was done; a later follow-up is a new row. `was_due_on` keeps the follow-up day that was due when this was
-- recorded, since the reminder's own date moves on (or is cleared) with each follow-up.
CREATE TABLE reminder_follow_ups (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reminder_id        uuid NOT NULL REFERENCES prevention_reminders (id),
  followed_up_on     date NOT NULL,
  was_due_on         date,
  record             text NOT NULL CHECK (length(record) >= 1),
  resolved           boolean NOT NULL,
  next_follow_up_on  date,
  recorded_by        uuid NOT NULL REFERENCES users (id),
  recorded_at        timestamptz NOT NULL,
  CHECK (next_follow_up_on IS NULL OR next_follow_up_on > followed_up_on)
);
-- Serves: a reminder's follow-ups in order (the reminders list of the follow-up page) and the latest one (a new
-- follow-up may not be dated before it).
CREATE INDEX reminder_follow_ups_reminder_idx ON reminder_follow_ups (reminder_id, followed_up_on);

CREATE TRIGGER reminder_follow_ups_refuse_update_delete BEFORE UPDATE OR DELETE ON reminder_follow_ups
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
