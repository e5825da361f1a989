-- A customer's tax id (SSN), for credit reporting (Metro 2). Stored only sealed: a Fernet token under the tenant's
-- derived key with the customer's identity inside (the machinery that seals provider credentials), so a token
-- copied onto another customer or tenant does not open. The last four digits are kept in clear for the masked
-- display (***-**-6789); nothing else of it is readable without the master key.
ALTER TABLE customers
  ADD COLUMN tax_id_sealed text,
  ADD COLUMN tax_id_last4 text CHECK (tax_id_last4 ~ '^[0-9]{4}$'),
  ADD CONSTRAINT customers_tax_id_both CHECK ((tax_id_sealed IS NULL) = (tax_id_last4 IS NULL));
