-- card_apply_batch: applies a batch of card messages in ONE transaction (the caller runs it as a single
-- autocommit statement, so a batch costs one round trip and one commit). This file is the function's one current
-- source: it is re-applied whenever it changes (src/kernel/migrate.ts); the types it exchanges are DDL, in the
-- migrations.
--
-- The caller (src/modules/card-authorizations/decisions) has already resolved, from in-process caches, the card,
-- the expense categories and the lines of credit of each message, and guarantees that a batch holds at most one
-- item per authorization request. Items are applied in `seq` order. An authorization reserves with conditional
-- updates of its lines' trackers, never reading then writing:
--   UPDATE ... SET expensed_credits = expensed_credits + amount
--    WHERE key AND NOT terminated AND credits_limit - expensed_credits >= amount
-- and is approved only if every line took it. The requests, holds and messages of the whole batch are then
-- written with one statement.
--
-- Concurrent batches (other processes) lock the requests, then the trackers, they touch in one global order
-- before changing anything, so they wait for each other but never deadlock.
--
-- Item kinds: authorization, incremental_authorization, balance_inquiry, reversal, clearing, refund, expiry,
-- advice (CardMessageKind), `invalid` (a message that failed validation: recorded and declined), and `reconcile`
-- (the relay answered message `message_id` with the fallback `told` after this engine had decided it). The
-- lifecycle kinds are applied by card_apply_posting (card_batch_parts.sql, with why every statement is a key
-- probe).
--
-- New single-line authorizations are reserved together: one conditional update per line for their sum, instead
-- of one per authorization. Most of what they cost was not the update itself but PL/pgSQL stepping through each
-- of them (~20 expressions per item); they are found, approved and recorded with set statements, and only the
-- other items go through the loop. Of a line that cannot take the sum, those that cannot fit are declined
-- together too; the rest go through the loop. A batch of one keeps to the loop. (Measured by A/B on one hot
-- line's batches of ~25: PostgreSQL's CPU per call -8 to -10%, and -20% once the line is exhausted.) Each item
-- still gets exactly one result row, and the results equal those of deciding the items one by one in some order
-- of the batch.
--
-- The batch arrives as jsonb, and an item's merchant, metadata and payload as nested jsonb:
-- jsonb_populate_recordset reads one parsed jsonb, and the nested objects go into their jsonb columns as they are
-- (json_populate_recordset built a hash table of each item's fields and copied every string character by
-- character: 198 µs against 368 µs per batch of 30 real items).
--
-- plan_cache_mode = force_generic_plan: PL/pgSQL hands the batch's arrays to its statements as parameters;
-- PostgreSQL would plan a custom plan for every call while one for the exact array sizes looks cheaper than the
-- generic plan, and planning the batch's two largest statements cost more than running them (0.15 ms of each
-- call, measured with pg_stat_statements). Their generic plans probe the same keys: the function already runs
-- with sequential and bitmap scans off. The setting holds for the functions it calls.
CREATE OR REPLACE FUNCTION card_apply_batch(p_items jsonb)
RETURNS TABLE (item_seq integer, is_replay boolean, is_approved boolean, reason text, granted bigint,
               request uuid, funded boolean)
LANGUAGE plpgsql
SET enable_seqscan = off
SET enable_bitmapscan = off
SET plan_cache_mode = force_generic_plan
AS $fn$
#variable_conflict use_column
DECLARE
  -- the batch, parsed once
  v_items card_batch_item[] := ARRAY(SELECT jsonb_populate_recordset(NULL::card_batch_item, p_items));
  v_reqs card_batch_request[] := '{}';
  v_msgs card_batch_message[] := '{}';
  v_existing text[] := '{}';
  v_tenants uuid[] := '{}';
  v_all_lines uuid[] := '{}';
  v_row record;
  it record;
  v_new boolean;
  v_req uuid;
  v_lines uuid[];
  v_n integer;
  v_full boolean;
  v_avail bigint;
  v_term boolean;
  v_ok boolean;
  v_reason text;
  v_engine text;
  v_amt bigint;
  v_write boolean;
  v_post text;
  v_status text;
  v_decline text;
  v_auth bigint; v_held bigint; v_cleared bigint; v_released bigint; v_refunded bigint; v_forced bigint;
  v_force_posted boolean;
  v_s card_request_state;
  v_funded integer;
  v_posted boolean := false;
  -- the batch's new single-line authorizations, reserved together (see "Deferred" below)
  v_d_seq integer[] := '{}';
  v_d_tenant uuid[];
  v_d_line uuid[];
  v_d_amount bigint[];
  v_d_request uuid[];
  v_d_partial boolean[];
  v_ok_keys text[];
  v_retry integer[] := '{}';
  v_pass integer := 1;
BEGIN
  -- The function reads each request once, as it was when the batch started.
  IF cardinality(v_items) > 1
     AND (SELECT count(*) <> count(DISTINCT (i.tenant_id, i.provider, coalesce(i.external_id, '#' || i.message_id)))
            FROM unnest(v_items) AS i) THEN
    RAISE EXCEPTION 'card_apply_batch: two items for one request';
  END IF;

  -- Lock the existing requests, then the trackers, each in key order, so two batches (of two processes) wait
  -- for each other but never deadlock. Every lock is a probe of the table's key, driven by the items sorted by
  -- that key (a nested loop keeps its outer order); the lines the requests hold are collected on the way.
  FOR v_row IN
    SELECT r.tenant_id, k.provider, k.external_id, h.line_of_credit_id AS line
      FROM (SELECT DISTINCT i.tenant_id, i.provider, i.external_id FROM unnest(v_items) AS i
             WHERE i.external_id IS NOT NULL
             ORDER BY 1, 2, 3) AS k
     CROSS JOIN LATERAL (SELECT r.tenant_id, r.id FROM card_authorization_requests r
                          WHERE r.tenant_id = k.tenant_id AND r.provider = k.provider
                            AND r.external_id = k.external_id
                            FOR UPDATE) AS r
      LEFT JOIN LATERAL (SELECT h.line_of_credit_id FROM card_authorization_holds h
                          WHERE h.tenant_id = r.tenant_id AND h.request_id = r.id OFFSET 0) AS h ON true
  LOOP
    v_existing := v_existing || (v_row.tenant_id || '|' || v_row.provider || '|' || v_row.external_id);
    IF v_row.line IS NOT NULL THEN
      v_tenants := v_tenants || v_row.tenant_id;
      v_all_lines := v_all_lines || v_row.line;
    END IF;
  END LOOP;
  SELECT v_tenants || array_agg(i.tenant_id), v_all_lines || array_agg(x.line) INTO v_tenants, v_all_lines
    FROM unnest(v_items) AS i CROSS JOIN LATERAL unnest(i.lines) AS x(line);
  -- One tracker (a hot line's batch) needs no lock ahead of its updates: no second row to wait for.
  IF (SELECT count(DISTINCT x.line) FROM unnest(v_all_lines) AS x(line)) > 1 THEN
    PERFORM 1
       FROM (SELECT DISTINCT x.tenant_id, x.line FROM unnest(v_tenants, v_all_lines) AS x(tenant_id, line)
              ORDER BY 1, 2) AS k
      CROSS JOIN LATERAL (SELECT 1 FROM card_expense_trackers t
                           WHERE t.tenant_id = k.tenant_id AND t.line_of_credit_id = k.line
                             FOR UPDATE) AS t;
  END IF;

  -- Deferred: the new single-line authorizations (no request yet, not a replay, nothing declined beforehand) are
  -- reserved after the batch's other items, with one conditional update per line for their sum. A line that
  -- takes the sum approves them all: each would have fitted in turn, as amounts are positive. Those of a line
  -- that cannot take it go one by one through the loop below, in a second pass, like any other authorization
  -- (partial approvals, the reason of a decline). Deciding them last is one valid order of messages that arrived
  -- together, as no two items of a batch share a request. A batch of one (light traffic) skips it: the loop alone
  -- is fewer statements.
  IF cardinality(v_items) > 1 THEN
    SELECT coalesce(array_agg(i.seq), '{}'), array_agg(i.tenant_id), array_agg(i.lines[1]), array_agg(i.amount),
           array_agg(i.new_request_id), array_agg(i.partial_allowed IS TRUE)
      INTO v_d_seq, v_d_tenant, v_d_line, v_d_amount, v_d_request, v_d_partial
      FROM unnest(v_items) AS i
      LEFT JOIN LATERAL (SELECT true AS hit FROM card_authorization_messages m
                          WHERE m.tenant_id = i.tenant_id AND m.provider = i.provider
                            AND m.message_id = i.message_id OFFSET 0) AS m ON true
     WHERE i.kind = 'authorization' AND i.external_id IS NOT NULL AND i.told IS NULL AND i.card_decline IS NULL
       AND i.lines_decline IS NULL AND cardinality(i.lines) = 1 AND i.single_message IS NOT TRUE
       AND m.hit IS NULL AND NOT (i.tenant_id || '|' || i.provider || '|' || i.external_id) = ANY (v_existing);
  END IF;

  <<passes>>
  LOOP
  FOR it IN
    SELECT i.*,
           r.id AS r_id, r.currency AS r_currency, r.status AS r_status, r.decline_reason AS r_decline,
           r.amount_authorized AS r_auth, r.amount_held AS r_held, r.amount_cleared AS r_cleared,
           r.amount_released AS r_released, r.amount_refunded AS r_refunded, r.amount_forced AS r_forced,
           r.force_posted AS r_force_posted,
           (SELECT array_agg(h.line_of_credit_id ORDER BY h.line_of_credit_id)
              FROM card_authorization_holds h
             WHERE h.tenant_id = i.tenant_id AND h.request_id = r.id) AS hold_lines,
           m.id AS m_id, m.approved AS m_approved, m.reason_code AS m_reason,
           m.approved_amount AS m_amount, m.request_id AS m_request, m.answered_by_fallback AS m_fallback
      FROM unnest(v_items) AS i
      LEFT JOIN LATERAL (SELECT * FROM card_authorization_requests r
                          WHERE r.tenant_id = i.tenant_id AND r.provider = i.provider
                            AND r.external_id = i.external_id OFFSET 0) AS r ON true
      LEFT JOIN LATERAL (SELECT * FROM card_authorization_messages m
                          WHERE m.tenant_id = i.tenant_id AND m.provider = i.provider
                            AND m.message_id = i.message_id OFFSET 0) AS m ON true
     WHERE CASE WHEN v_pass = 1 THEN NOT i.seq = ANY (v_d_seq) ELSE i.seq = ANY (v_retry) END
     ORDER BY i.seq
  LOOP
    item_seq := it.seq; is_replay := false; funded := false;

    -- A replay returns the stored decision and changes nothing.
    IF it.kind <> 'reconcile' AND it.m_id IS NOT NULL THEN
      is_replay := true; is_approved := it.m_approved; reason := it.m_reason; granted := it.m_amount;
      request := it.m_request;
      RETURN NEXT;
      CONTINUE;
    END IF;

    -- A deferred authorization its line could not take in sum, kept short when it fits alone.
    IF it.kind = 'authorization' AND it.r_id IS NULL AND it.told IS NULL AND it.card_decline IS NULL
       AND it.lines_decline IS NULL AND cardinality(it.lines) = 1 AND it.single_message IS NOT TRUE THEN
      UPDATE card_expense_trackers SET expensed_credits = expensed_credits + it.amount
       WHERE tenant_id = it.tenant_id AND line_of_credit_id = it.lines[1] AND NOT terminated
         AND credits_limit - expensed_credits >= it.amount;
      GET DIAGNOSTICS v_n = ROW_COUNT;
      IF v_n = 1 THEN
        v_reqs := v_reqs || ROW(it.seq, it.new_request_id, 'approved', NULL, it.amount, it.amount, 0, 0, 0, 0,
                                false, it.lines, NULL, it.amount)::card_batch_request;
        v_msgs := v_msgs || ROW(it.seq, it.new_request_id, true, 'approved', it.amount, false, NULL)::card_batch_message;
        is_approved := true; reason := 'approved'; granted := it.amount; request := it.new_request_id;
        RETURN NEXT;
        CONTINUE;
      END IF;
      -- declined: the general path below finds out why, and whether a partial approval fits
    END IF;

    v_new := it.r_id IS NULL;
    v_req := coalesce(it.r_id, it.new_request_id);
    v_auth := coalesce(it.r_auth, 0); v_held := coalesce(it.r_held, 0); v_cleared := coalesce(it.r_cleared, 0);
    v_released := coalesce(it.r_released, 0); v_refunded := coalesce(it.r_refunded, 0);
    v_forced := coalesce(it.r_forced, 0); v_force_posted := coalesce(it.r_force_posted, false);
    v_status := it.r_status; v_decline := it.r_decline;
    -- The lines a request holds are fixed by its first reservation; before that, the resolved ones (none when
    -- resolution failed: an unknown card or no line leaves nothing to charge).
    v_lines := CASE WHEN cardinality(it.hold_lines) > 0 THEN it.hold_lines
                    WHEN v_auth = 0 AND v_cleared = 0 AND v_refunded = 0
                         AND it.card_decline IS NULL AND it.lines_decline IS NULL THEN coalesce(it.lines, '{}')
                    ELSE '{}' END;
    v_ok := true; v_reason := 'approved'; v_engine := NULL; v_amt := 0; v_post := NULL; v_write := false;

    IF it.kind IN ('authorization', 'incremental_authorization') THEN
      v_decline := CASE WHEN NOT v_new AND it.currency <> it.r_currency THEN 'currency_mismatch'
                        ELSE coalesce(it.card_decline,
                                      CASE WHEN cardinality(it.hold_lines) > 0 THEN NULL ELSE it.lines_decline END)
                   END;
      IF it.told = 'decline' THEN
        v_ok := false; v_reason := 'timeout_fallback'; v_engine := v_decline;
      ELSIF v_decline IS NOT NULL AND it.told IS NULL THEN
        v_ok := false; v_reason := v_decline;
      ELSIF v_decline IS NOT NULL THEN
        -- the network approved on our fallback what the engine would decline: book it, on the lines it holds
        v_amt := it.amount; v_forced := v_forced + v_amt; v_engine := v_decline;
        v_lines := CASE WHEN cardinality(it.hold_lines) > 0 THEN it.hold_lines ELSE '{}' END;
        PERFORM card_trackers_add(it.tenant_id, v_lines, v_amt);
      ELSE
        -- the reservation: every line takes the amount within its limit, or none does
        v_full := card_trackers_reserve(it.tenant_id, v_lines, it.amount);
        IF v_full THEN
          v_amt := it.amount;
          IF it.told IS NOT NULL THEN v_engine := 'approved'; END IF;
        ELSE
          -- what the lines could still take: a partial approval reserves that, conditionally like any other
          SELECT min(t.credits_limit - t.expensed_credits), coalesce(bool_or(t.terminated), true)
            INTO v_avail, v_term
            FROM unnest(v_lines) AS x(line)
           CROSS JOIN LATERAL (SELECT * FROM card_expense_trackers t
                                WHERE t.tenant_id = it.tenant_id AND t.line_of_credit_id = x.line OFFSET 0) AS t;
          v_engine := CASE WHEN v_term THEN 'no_line_of_credit' ELSE 'insufficient_credits' END;
          IF NOT v_term AND it.partial_allowed IS TRUE AND v_avail > 0 AND it.told IS NULL
             AND card_trackers_reserve(it.tenant_id, v_lines, v_avail) THEN
            v_amt := v_avail; v_engine := NULL;
          ELSIF it.told = 'approve' THEN
            -- the network approved on our fallback: booked over the limit, as it must be
            v_amt := it.amount; v_forced := v_forced + v_amt;
            PERFORM card_trackers_add(it.tenant_id, v_lines, v_amt);
          ELSE
            v_ok := false; v_reason := v_engine; v_engine := NULL;
          END IF;
        END IF;
      END IF;
      IF v_ok THEN
        IF it.told = 'approve' THEN v_reason := 'timeout_fallback'; END IF;
        v_auth := v_auth + v_amt; v_held := v_held + v_amt; v_decline := NULL;
        IF it.single_message IS TRUE THEN
          -- authorization and settlement in one message: the hold clears at once
          v_held := v_held - v_amt; v_cleared := v_cleared + v_amt; v_post := 'draw';
        END IF;
        v_status := CASE WHEN v_held > 0 AND v_cleared > 0 THEN 'partially_cleared'
                         WHEN v_held > 0 THEN 'approved' ELSE 'cleared' END;
      ELSE
        v_lines := coalesce(it.hold_lines, '{}');
        IF v_new THEN v_status := 'declined'; v_decline := v_reason; ELSE v_decline := it.r_decline; END IF;
      END IF;
      v_write := v_new OR v_ok;

    ELSIF it.kind = 'reconcile' THEN
      IF it.m_id IS NULL OR it.m_fallback OR v_new THEN
        -- nothing recorded to reconcile, or already done
        is_replay := true; is_approved := coalesce(it.m_approved, false);
        reason := coalesce(it.m_reason, 'timeout_fallback'); granted := coalesce(it.m_amount, 0);
        request := it.m_request;
        RETURN NEXT;
        CONTINUE;
      END IF;
      v_s := card_apply_reconcile(
        it.tenant_id, it.provider, it.message_id, it.told, it.amount, it.m_approved, it.m_amount, it.m_reason,
        ROW(v_new, it.r_currency, v_status, v_decline, v_auth, v_held, v_cleared, v_released, v_refunded,
            v_forced, v_force_posted, v_lines, NULL, NULL, NULL, NULL, NULL)::card_request_state);
      v_status := v_s.status; v_decline := v_s.decline; v_auth := v_s.auth; v_held := v_s.held;
      v_forced := v_s.forced; v_ok := v_s.ok; v_reason := v_s.reason; v_amt := v_s.amount; v_write := v_s.changed;

    ELSIF it.kind = 'invalid' THEN
      v_ok := false; v_reason := it.invalid_reason;

    ELSE
      -- a lifecycle message (card_apply_posting, card_batch_parts.sql)
      v_s := card_apply_posting(
        it.tenant_id, it.kind, it.amount, it.currency, it.requires_decision, it.advice_approved, it.card_decline,
        it.lines_decline,
        ROW(v_new, it.r_currency, v_status, v_decline, v_auth, v_held, v_cleared, v_released, v_refunded,
            v_forced, v_force_posted, v_lines, NULL, NULL, NULL, NULL, NULL)::card_request_state);
      v_status := v_s.status; v_decline := v_s.decline; v_auth := v_s.auth; v_held := v_s.held;
      v_cleared := v_s.cleared; v_released := v_s.released; v_refunded := v_s.refunded; v_forced := v_s.forced;
      v_force_posted := v_s.force_posted; v_ok := v_s.ok; v_reason := v_s.reason; v_amt := v_s.amount;
      v_post := v_s.post; v_write := v_s.changed;
    END IF;

    -- A message that created no request belongs to none.
    IF v_new AND NOT v_write THEN v_req := NULL; END IF;
    IF v_write THEN
      v_posted := v_posted OR (v_post IS NOT NULL AND v_amt > 0);
      v_reqs := v_reqs || ROW(it.seq, v_req, v_status, v_decline, v_auth, v_held, v_cleared, v_released,
                              v_refunded, v_forced, v_force_posted, v_lines, v_post, v_amt)::card_batch_request;
    END IF;
    IF it.kind <> 'reconcile' THEN
      v_msgs := v_msgs || ROW(it.seq, v_req, v_ok, v_reason, CASE WHEN v_ok THEN v_amt ELSE 0 END,
                              it.told IS NOT NULL, v_engine)::card_batch_message;
    END IF;
    is_approved := v_ok; reason := v_reason; granted := CASE WHEN v_ok THEN v_amt ELSE 0 END; request := v_req;
    RETURN NEXT;
  END LOOP;
  EXIT passes WHEN v_pass = 2 OR cardinality(v_d_seq) = 0;

  -- One update per line, a key probe like every other statement here (a join's plan could degrade, see card_batch_parts.sql).
  v_ok_keys := '{}';
  FOR v_row IN
    SELECT d.tenant, d.line, sum(d.amount)::bigint AS total
      FROM unnest(v_d_tenant, v_d_line, v_d_amount) AS d(tenant, line, amount)
     GROUP BY 1, 2
  LOOP
    UPDATE card_expense_trackers SET expensed_credits = expensed_credits + v_row.total
     WHERE tenant_id = v_row.tenant AND line_of_credit_id = v_row.line AND NOT terminated
       AND credits_limit - expensed_credits >= v_row.total;
    IF FOUND THEN
      v_ok_keys := v_ok_keys || (v_row.tenant || '|' || v_row.line);
    END IF;
  END LOOP;
  -- The authorizations of a line that could not take their sum: those above what it has left now are declined
  -- here, as they would be in turn (pass 2 only reserves, so what a line has left only shrinks), unless one may
  -- be approved in part; an exhausted hot line declines its batch without going item by item. What it has left is
  -- read, not locked: a decline reserves nothing. The rest go through pass 2.
  SELECT coalesce(array_agg(d.seq) FILTER (WHERE d.outcome IS NULL), '{}'),
         v_reqs || coalesce(array_agg(ROW(d.seq, d.request, CASE WHEN d.ok THEN 'approved' ELSE 'declined' END,
                                          CASE WHEN NOT d.ok THEN d.outcome END, d.granted, d.granted, 0, 0, 0, 0,
                                          false, CASE WHEN d.ok THEN ARRAY[d.line] ELSE '{}' END, NULL,
                                          d.granted)::card_batch_request) FILTER (WHERE d.outcome IS NOT NULL), '{}'),
         v_msgs || coalesce(array_agg(ROW(d.seq, d.request, d.ok, d.outcome, d.granted, false,
                                          NULL)::card_batch_message) FILTER (WHERE d.outcome IS NOT NULL), '{}')
    INTO v_retry, v_reqs, v_msgs
    FROM (SELECT d.seq, d.line, d.request, d.ok, CASE WHEN d.ok THEN d.amount ELSE 0 END AS granted,
                 CASE WHEN d.ok THEN 'approved'
                      WHEN t.terminated THEN 'no_line_of_credit'
                      WHEN d.amount > t.left_over AND NOT (d.partial AND t.left_over > 0) THEN 'insufficient_credits'
                 END AS outcome
            FROM (SELECT d.*, (d.tenant || '|' || d.line) = ANY (v_ok_keys) AS ok
                    FROM unnest(v_d_seq, v_d_tenant, v_d_line, v_d_amount, v_d_request, v_d_partial)
                         AS d(seq, tenant, line, amount, request, partial)) AS d
            LEFT JOIN LATERAL (SELECT t.credits_limit - t.expensed_credits AS left_over, t.terminated
                                 FROM card_expense_trackers t
                                WHERE NOT d.ok AND t.tenant_id = d.tenant AND t.line_of_credit_id = d.line
                               OFFSET 0) AS t ON true) AS d;
  RETURN QUERY
    SELECT m.seq, false, m.approved, m.reason, m.amount, m.request, false
      FROM unnest(v_msgs) AS m
     WHERE m.seq = ANY (v_d_seq) AND NOT m.seq = ANY (v_retry);
  EXIT passes WHEN cardinality(v_retry) = 0;
  v_pass := 2;
  END LOOP passes;

  -- Everything the batch recorded, in one statement: requests, their holds (the same amounts on each line of a
  -- request) and the messages.
  WITH u AS (
    SELECT u.*, i.tenant_id, i.provider, i.external_id, i.provider_config_id, i.card_id, i.owner_type,
           i.owner_ref, i.currency, i.category_ids, i.merchant, i.metadata, i.expires_at
      FROM unnest(v_reqs) AS u JOIN unnest(v_items) AS i ON i.seq = u.seq),
  requests AS (
    INSERT INTO card_authorization_requests AS t (
           tenant_id, id, provider, external_id, provider_config_id, card_id, owner_type, owner_ref, currency,
           status, decline_reason, amount_authorized, amount_held, amount_cleared, amount_released,
           amount_refunded, amount_forced, force_posted, expense_category_ids, merchant, metadata, expires_at)
    SELECT tenant_id, id, provider, external_id, provider_config_id, card_id, owner_type, owner_ref, currency,
           status, decline, auth, held, cleared, released, refunded, forced, force_posted,
           coalesce(category_ids, '{}'), coalesce(merchant, '{}'), coalesce(metadata, '{}'), expires_at
      FROM u
    ON CONFLICT (tenant_id, provider, external_id) DO UPDATE
       SET status = EXCLUDED.status, decline_reason = EXCLUDED.decline_reason,
           amount_authorized = EXCLUDED.amount_authorized, amount_held = EXCLUDED.amount_held,
           amount_cleared = EXCLUDED.amount_cleared, amount_released = EXCLUDED.amount_released,
           amount_refunded = EXCLUDED.amount_refunded, amount_forced = EXCLUDED.amount_forced,
           force_posted = EXCLUDED.force_posted,
           expense_category_ids = CASE WHEN cardinality(t.expense_category_ids) = 0
                                       THEN EXCLUDED.expense_category_ids ELSE t.expense_category_ids END,
           updated_at = now()),
  holds AS (
    INSERT INTO card_authorization_holds AS t (
           tenant_id, request_id, line_of_credit_id, held, reserved, cleared, released, refunded, forced)
    SELECT u.tenant_id, u.id, l.line, u.held, u.auth, u.cleared, u.released, u.refunded, u.forced
      FROM u CROSS JOIN LATERAL unnest(u.lines) AS l(line)
    ON CONFLICT (tenant_id, request_id, line_of_credit_id) DO UPDATE
       SET held = EXCLUDED.held, reserved = EXCLUDED.reserved, cleared = EXCLUDED.cleared,
           released = EXCLUDED.released, refunded = EXCLUDED.refunded, forced = EXCLUDED.forced)
  INSERT INTO card_authorization_messages (
         tenant_id, id, provider, message_id, request_id, external_id, provider_config_id, kind, amount,
         currency, approved, reason_code, approved_amount, answered_by_fallback, engine_reason, detail, payload)
  SELECT i.tenant_id, i.message_row_id, i.provider, i.message_id, m.request, i.external_id,
         i.provider_config_id, i.kind, coalesce(i.amount, 0), i.currency, m.approved, m.reason, m.amount,
         m.fallback, m.engine, i.detail, coalesce(i.payload, '{}')
    FROM unnest(v_msgs) AS m JOIN unnest(v_items) AS i ON i.seq = m.seq;

  -- Postings on loan-owned lines become draws (or credits) on the loan, one per message and loan. Clearings and
  -- refunds only, so this rarer statement is planned each time (EXECUTE), with the lines table as it is now.
  IF v_posted THEN
    EXECUTE '
      INSERT INTO card_funding_outbox (tenant_id, reference, loan_id, kind, amount, currency, occurred_at, request_id)
      SELECT DISTINCT ON (i.tenant_id, i.message_row_id, lc.owner_ref)
             i.tenant_id, i.message_row_id, lc.owner_ref, u.post, u.post_amount, i.currency, i.occurred_at, u.id
        FROM unnest($1) AS u
        JOIN unnest($2) AS i ON i.seq = u.seq
       CROSS JOIN LATERAL unnest(u.lines) AS l(line)
        JOIN card_lines_of_credit lc ON lc.tenant_id = i.tenant_id AND lc.id = l.line
       WHERE u.post IS NOT NULL AND u.post_amount > 0 AND lc.owner_type = ''loan''
      ON CONFLICT DO NOTHING'
      USING v_reqs, v_items;
    GET DIAGNOSTICS v_funded = ROW_COUNT;
    IF v_funded > 0 THEN
      -- a last row tells the caller to wake the funding worker
      item_seq := -1; is_replay := false; is_approved := true; reason := 'approved'; granted := 0;
      request := NULL; funded := true;
      RETURN NEXT;
    END IF;
  END IF;
END
$fn$;
