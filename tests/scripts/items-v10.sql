-- items-v10.sql -- takes the items table of a current store (schema
-- v11) back to its v10 shape, for the migration tests
-- (store-v11-migrate.sh, dup-migrate.sh): the compressed texts inflated
-- with the sqlite3 shell's sqlar_uncompress (store/sqlite_zip.c: a
-- 4-byte length, then a zlib stream), title and submitter virtual
-- columns over the item JSON again, their indexes rebuilt.  It leaves
-- user_version to the caller.
UPDATE items SET item = CAST(sqlar_uncompress(substr(item, 5), 16777216) AS TEXT)
  WHERE typeof(item) = 'blob';
UPDATE items SET verdict = CAST(sqlar_uncompress(substr(verdict, 5), 16777216) AS TEXT)
  WHERE typeof(verdict) = 'blob';
UPDATE items SET cleaned_body = CAST(sqlar_uncompress(substr(cleaned_body, 5), 16777216) AS TEXT)
  WHERE typeof(cleaned_body) = 'blob';
DROP INDEX items_submitter;
DROP INDEX items_submitter_rx;
ALTER TABLE items DROP COLUMN title;
ALTER TABLE items DROP COLUMN submitter;
ALTER TABLE items ADD COLUMN title TEXT GENERATED ALWAYS AS
  (ifnull(json_extract(item, '$.title'), '')) VIRTUAL;
ALTER TABLE items ADD COLUMN submitter TEXT GENERATED ALWAYS AS
  (json_extract(item, '$.submitter')) VIRTUAL;
CREATE INDEX items_submitter ON items(submitter, submitted_at)
  WHERE submitter IS NOT NULL;
CREATE INDEX items_submitter_rx ON items(submitter, received_at)
  WHERE submitter IS NOT NULL;
