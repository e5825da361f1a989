-- Close of business updates a few columns of many loans a day (cursors, days past due) and locks every loan it
-- visits. Keeping the large JSON columns (terms, disclosure) out of line makes those row versions small.
ALTER TABLE loans SET (toast_tuple_target = 256);
ALTER TABLE loans ALTER COLUMN terms SET STORAGE EXTERNAL;
ALTER TABLE loans ALTER COLUMN disclosure SET STORAGE EXTERNAL;
