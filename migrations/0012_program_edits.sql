-- Editing programs (issue 14): PATCH /v1/programs/{id} changes a program's name, description, status or terms.
-- `version` counts a program's changes: the program's ETag, and what an If-Match on the PATCH names. A program keeps
-- one row (its current terms); each loan keeps the terms it was made with (loans.terms), and the audit log records
-- every change with the terms before and after.
ALTER TABLE programs ADD COLUMN description text;
ALTER TABLE programs ADD COLUMN version integer NOT NULL DEFAULT 1;
