-- An organ's SMTP password, sealed at rest like the officials' identifiers (0012). Forward-only; runs unchanged on
-- PostgreSQL 15 and 18.

-- The password is sealed by the application's envelope encryption (src/crypto/envelope.ts): a data key per value,
-- wrapped by the key-encryption key kept outside the database, with `organ:<organ id>:smtp-password` bound in as
-- associated data, so a sealed password copied onto another organ does not open. Only the reminder mailer opens
-- it, to sign in to the organ's server; responses say only whether one is set. `rongcuo rotate-kek` re-wraps it
-- (src/privacy/sealed-values.ts lists every sealed column). No index: nothing looks a row up by its password.
ALTER TABLE organ_smtp_settings ADD COLUMN password_sealed bytea;

-- SQL cannot seal (the key is not in the database), so a password an earlier version stored in plaintext stays
-- where it was, under a name that says what it is, until the server seals it at its next start
-- (sealLegacySmtpPasswords in src/notifications/smtp-password.ts) and clears it in the same transaction.
-- NOT VALID: existing rows may still hold a password until then; every row inserted or updated from now on must
-- leave the column empty, so nothing can store a new password in plaintext. A later migration drops the column
-- once every installation has started on this version.
ALTER TABLE organ_smtp_settings RENAME COLUMN password TO password_plaintext_legacy;
ALTER TABLE organ_smtp_settings
  ADD CONSTRAINT organ_smtp_settings_no_plaintext_password CHECK (password_plaintext_legacy IS NULL) NOT VALID;
