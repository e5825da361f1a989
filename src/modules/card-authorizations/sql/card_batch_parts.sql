-- The building blocks of card_apply_batch (card_apply_batch.sql): key-probe updates of the expense trackers, and
-- the lifecycle messages' effect on a request. The composite types they exchange are DDL (migration 0003).
--
-- Their statements are all keyed lookups, and must stay so however the tables grow: PL/pgSQL keeps their plans for
-- the session's life, and PGlite never runs autovacuum to refresh statistics. So every lookup is on its table's
-- key, the only index of that table that starts with tenant_id, lookups driven by the batch's items are LATERAL
-- and fenced with OFFSET 0 (a join the planner could reorder by stale estimates stays a per-item probe), and
-- sequential and bitmap scans are off.

-- Adds `delta` to the expensed credits of each line (never below zero). A key probe per line: lines per
-- payment are few, and a probe's plan cannot degrade however the table grows.
CREATE OR REPLACE FUNCTION card_trackers_add(p_tenant uuid, p_lines uuid[], p_delta bigint) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  l uuid;
BEGIN
  IF p_delta = 0 THEN RETURN; END IF;
  FOREACH l IN ARRAY p_lines LOOP
    UPDATE card_expense_trackers SET expensed_credits = greatest(expensed_credits + p_delta, 0)
     WHERE tenant_id = p_tenant AND line_of_credit_id = l;
  END LOOP;
END
$fn$;
-- Reserves `amount` on every line, or on none: one conditional update per line (within its limit, on an open
-- line); when one line cannot take it, the lines before it are given back in the same transaction, so nobody
-- ever sees the partial reservation.
CREATE OR REPLACE FUNCTION card_trackers_reserve(p_tenant uuid, p_lines uuid[], p_amount bigint) RETURNS boolean
LANGUAGE plpgsql AS $fn$
DECLARE
  l uuid;
  v_done uuid[] := '{}';
  v_n integer;
BEGIN
  IF cardinality(p_lines) = 0 THEN RETURN false; END IF;
  FOREACH l IN ARRAY p_lines LOOP
    UPDATE card_expense_trackers SET expensed_credits = expensed_credits + p_amount
     WHERE tenant_id = p_tenant AND line_of_credit_id = l AND NOT terminated
       AND credits_limit - expensed_credits >= p_amount;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    IF v_n = 0 THEN
      PERFORM card_trackers_add(p_tenant, v_done, -p_amount);
      RETURN false;
    END IF;
    v_done := v_done || l;
  END LOOP;
  RETURN true;
END
$fn$;
-- What a lifecycle message does to its request: releases (reversal, expiry), postings (clearing, refund),
-- approvals that hold nothing (balance inquiry, pending credit), and the platform's own word on a decision (advice).
-- Called by card_apply_batch with the request's rows locked and its trackers ready to update.
CREATE OR REPLACE FUNCTION card_apply_posting(
  p_tenant uuid, p_kind text, p_amount bigint, p_currency text, p_requires_decision boolean,
  p_advice_approved boolean, p_card_decline text, p_lines_decline text, s card_request_state)
RETURNS card_request_state
LANGUAGE plpgsql
SET enable_seqscan = off
SET enable_bitmapscan = off
AS $fn$
DECLARE
  v_from bigint;
  v_extra bigint;
BEGIN
  s.ok := true; s.reason := 'approved'; s.amount := 0; s.post := NULL; s.changed := false;

  IF p_kind = 'balance_inquiry' OR (p_kind = 'refund' AND p_requires_decision IS TRUE) THEN
    -- nothing is held: an inquiry needs an active card; a pending credit is approved, applied when it settles
    s.ok := p_kind = 'refund' OR p_card_decline IS NULL;
    s.reason := CASE WHEN s.ok THEN 'approved' ELSE p_card_decline END;
    s.amount := p_amount;

  ELSIF p_kind = 'reversal' THEN
    IF s.is_new OR p_amount > s.held OR p_currency <> s.currency THEN
      -- never release more than is held, nor what was never reserved
      s.ok := false;
      s.reason := CASE WHEN NOT s.is_new AND p_currency <> s.currency THEN 'currency_mismatch' ELSE 'over_reversal' END;
    ELSE
      s.changed := true; s.amount := p_amount;
      PERFORM card_trackers_add(p_tenant, s.lines, -p_amount);
      s.held := s.held - p_amount; s.released := s.released + p_amount;
      IF s.held = 0 THEN s.status := CASE WHEN s.cleared > 0 THEN 'cleared' ELSE 'reversed' END; END IF;
    END IF;

  ELSIF p_kind = 'expiry' THEN
    IF NOT s.is_new AND s.held > 0 THEN
      s.changed := true; s.amount := s.held;
      PERFORM card_trackers_add(p_tenant, s.lines, -s.held);
      s.released := s.released + s.held; s.held := 0;
      s.status := CASE WHEN s.cleared > 0 THEN 'cleared' ELSE 'expired' END;
    END IF;

  ELSIF p_kind = 'clearing' THEN
    IF NOT s.is_new AND p_currency <> s.currency THEN
      s.ok := false; s.reason := 'currency_mismatch';
    ELSE
      -- a clearing always posts: from the hold first; beyond it (or after expiry, or with no authorization at
      -- all: a force post) unconditionally
      s.changed := true; s.amount := p_amount; s.post := 'draw';
      v_from := least(p_amount, s.held); v_extra := p_amount - v_from;
      PERFORM card_trackers_add(p_tenant, s.lines, v_extra);
      s.held := s.held - v_from; s.cleared := s.cleared + p_amount; s.forced := s.forced + v_extra;
      s.status := CASE WHEN s.held > 0 THEN 'partially_cleared' ELSE 'cleared' END;
      IF s.auth = 0 THEN
        -- no authorization behind it (never seen, or declined): a force post
        s.force_posted := true;
        IF cardinality(s.lines) = 0 THEN s.ok := false; s.reason := coalesce(p_card_decline, p_lines_decline); END IF;
      END IF;
    END IF;

  ELSIF p_kind = 'refund' THEN
    s.changed := true; s.amount := p_amount; s.post := 'refund';
    PERFORM card_trackers_add(p_tenant, s.lines, -p_amount);
    s.refunded := s.refunded + p_amount;
    IF s.is_new THEN
      s.status := 'refunded';
      IF cardinality(s.lines) = 0 THEN s.ok := false; s.reason := coalesce(p_card_decline, p_lines_decline); END IF;
    END IF;

  ELSIF p_kind = 'advice' THEN
    IF p_advice_approved IS FALSE AND s.held > 0 AND s.cleared = 0 THEN
      -- the platform declined what we had approved (our answer came too late): release it
      s.changed := true; s.amount := s.held;
      PERFORM card_trackers_add(p_tenant, s.lines, -s.held);
      s.auth := s.auth - s.held; s.held := 0; s.status := 'declined'; s.decline := 'platform_declined';
    ELSIF p_advice_approved IS TRUE AND s.auth = 0 AND s.cleared = 0 AND p_amount > 0 THEN
      -- the platform approved without us (stand-in, or its own default after our deadline): book it
      s.changed := true; s.amount := p_amount;
      PERFORM card_trackers_add(p_tenant, s.lines, p_amount);
      s.auth := p_amount; s.held := p_amount; s.forced := s.forced + p_amount; s.status := 'approved';
      s.decline := NULL;
    END IF;

  ELSE
    RAISE EXCEPTION 'card_apply_posting: unknown item kind %', p_kind;
  END IF;
  RETURN s;
END
$fn$;
-- The relay answered message `p_message_id` with its fallback (`p_told`) after the engine had decided it: make
-- the books match what the network was told, and store that answer as the message's decision.
CREATE OR REPLACE FUNCTION card_apply_reconcile(
  p_tenant uuid, p_provider text, p_message_id text, p_told text, p_amount bigint, p_engine_approved boolean,
  p_engine_amount bigint, p_engine_reason text, s card_request_state)
RETURNS card_request_state
LANGUAGE plpgsql
SET enable_seqscan = off
SET enable_bitmapscan = off
AS $fn$
BEGIN
  s.ok := p_told = 'approve'; s.reason := 'timeout_fallback'; s.post := NULL; s.changed := false;
  IF s.ok AND NOT p_engine_approved THEN
    -- the network approved what the engine declined: book it, over the limit if need be
    s.changed := true; s.amount := p_amount;
    PERFORM card_trackers_add(p_tenant, s.lines, p_amount);
    s.auth := s.auth + p_amount; s.held := s.held + p_amount; s.forced := s.forced + p_amount; s.decline := NULL;
    s.status := CASE WHEN s.cleared > 0 THEN 'partially_cleared' ELSE 'approved' END;
  ELSIF NOT s.ok AND p_engine_approved THEN
    -- the network declined what the engine reserved: the authorization never happened
    s.changed := true;
    PERFORM card_trackers_add(p_tenant, s.lines, -least(p_engine_amount, s.held));
    s.auth := s.auth - least(p_engine_amount, s.held); s.held := s.held - least(p_engine_amount, s.held);
    IF s.auth = 0 AND s.cleared = 0 THEN s.status := 'declined'; s.decline := 'timeout_fallback'; END IF;
    s.amount := 0;
  ELSE
    s.amount := CASE WHEN s.ok THEN p_engine_amount ELSE 0 END;
  END IF;
  UPDATE card_authorization_messages
     SET approved = s.ok, reason_code = 'timeout_fallback', approved_amount = s.amount,
         answered_by_fallback = true, engine_reason = p_engine_reason
   WHERE tenant_id = p_tenant AND provider = p_provider AND message_id = p_message_id;
  RETURN s;
END
$fn$;
