-- File imports stage their transactions in short transactions and publish them by flipping one row (issue 16
-- item 2): embedded PGlite has one connection, and a 50 MB file written in one transaction held it for the whole
-- import, so card decisions could not reach the database. A row an import is still staging is invisible to every
-- reader until its import is published; an import that fails or dies is deleted, rows first.
ALTER TABLE financial_imports
  ADD COLUMN status text NOT NULL DEFAULT 'published' CHECK (status IN ('staging', 'published', 'abandoned')),
  -- staging imports touch it with each chunk: one left untouched for minutes died with its process
  ADD COLUMN heartbeat_at timestamptz;
CREATE INDEX financial_imports_unpublished ON financial_imports (status) WHERE status <> 'published';

-- The import that brought the row (null for synced rows): what makes a staged row invisible, and what a failed
-- import deletes.
ALTER TABLE financial_transactions ADD COLUMN import_id uuid;

-- The staging import that holds the account: imports of one account run one at a time.
ALTER TABLE financial_accounts ADD COLUMN staged_by uuid;
