-- Personal identifiers of officials, and the second person of the typical-case pipeline (个人信息保护法; GB/T 35273).
-- Forward-only; runs unchanged on PostgreSQL 15 and 18.

-- An official's 公民身份号码 (GB 11643) and mobile phone. The values are sealed at rest by the application's
-- envelope encryption (src/crypto/envelope.ts): a data key per value, wrapped by the key-encryption key that lives
-- outside the database, with `official:<id>:id-number` / `official:<id>:phone` bound in as associated data, so a
-- sealed value copied onto another official does not open. Beside each, the masked form shown on screens (ID:
-- first 6 and last 4 characters; phone: first 3 and last 4 digits). Responses carry only the masked form; the
-- plaintext leaves only through the audited reveal (POST /api/v1/officials/:officialId/identifiers/reveal).
-- Both are optional: officials registered before this migration have none until someone records them.
-- No index: nothing looks an official up by these values (such a lookup would need a keyed blind index; an index
-- on ciphertext would serve nothing, every envelope being different).
ALTER TABLE officials
  ADD COLUMN id_number_sealed  bytea,
  ADD COLUMN id_number_masked  text CHECK (id_number_masked ~ '^[0-9]{6}\*{8}[0-9]{3}[0-9X]$'),
  ADD COLUMN phone_sealed      bytea,
  ADD COLUMN phone_masked      text CHECK (phone_masked ~ '^1[0-9]{2}\*{4}[0-9]{4}$'),
  ADD CONSTRAINT officials_id_number_sealed_with_mask CHECK ((id_number_sealed IS NULL) = (id_number_masked IS NULL)),
  ADD CONSTRAINT officials_phone_sealed_with_mask CHECK ((phone_sealed IS NULL) = (phone_masked IS NULL));

-- Typical cases (Art. 20 ¶4) need a second person: whoever wrote the text (drafted or edited it) may not approve
-- or publish it, even when they also hold the publicity role. `authors` keeps every user who wrote the text.
ALTER TABLE typical_cases ADD COLUMN authors uuid[] NOT NULL DEFAULT '{}';
UPDATE typical_cases SET authors = ARRAY[drafted_by];
-- NOT VALID: rows approved before this rule existed are left as they were (checking them could block the
-- migration); every row inserted or updated from now on is checked.
ALTER TABLE typical_cases
  ADD CONSTRAINT typical_cases_approver_is_second_person
    CHECK (approved_by IS NULL OR NOT (approved_by = ANY (authors))) NOT VALID,
  ADD CONSTRAINT typical_cases_publisher_is_second_person
    CHECK (published_by IS NULL OR NOT (published_by = ANY (authors))) NOT VALID;
