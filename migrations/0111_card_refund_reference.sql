-- A card refund credits a line of credit as a payment carrying the refund's reference: like a card draw, a
-- retried refund must find its payment instead of crediting the line twice.
CREATE UNIQUE INDEX loan_events_card_payment_reference ON loan_events (tenant_id, loan_id, (payload->>'reference'))
  WHERE type = 'payment' AND payload ? 'reference';
