-- card_apply_batch: applies a batch of card messages in ONE transaction (the caller runs it as a single
-- autocommit statement, so a batch costs one round trip and one commit).
--
-- The caller (src/modules/card-authorizations/engine) has already resolved, from in-process caches, the card,
-- the expense categories and the lines of credit of each message, and guarantees that a batch holds at most one
-- item per authorization request. Items are applied in `seq` order, each with single-statement updates of the
-- expense trackers; an authorization reserves with one conditional UPDATE over all its lines:
--   UPDATE ... SET expensed_credits = expensed_credits + amount
--    WHERE line = ANY(lines) AND NOT terminated AND credits_limit - expensed_credits >= amount
-- and is approved only if every line took it. The request, message and hold rows of the whole batch are then
-- written with one multi-row statement each.
--
-- Concurrent batches (other processes) lock the requests, then the trackers, they touch in one global order
-- before changing anything, so they wait for each other but never deadlock.
--
-- Item kinds: authorization, incremental_authorization, balance_inquiry, reversal, clearing, refund, expiry,
-- advice (CardMessageKind), `invalid` (a message that failed validation: recorded and declined), and `reconcile`
-- (the relay answered message `message_id` with the fallback `told` after this engine had decided it).
CREATE FUNCTION card_apply_batch(p_items jsonb)
RETURNS TABLE (item_seq integer, is_replay boolean, is_approved boolean, reason text, granted bigint,
               request uuid, funded boolean)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
DECLARE
  it record;
  v_key text;
  v_seen text[] := '{}';
  v_new boolean;
  v_req uuid;
  v_lines uuid[];
  v_resolved uuid[];
  v_got uuid[];
  v_avail bigint;
  v_term boolean;
  v_ok boolean;
  v_reason text;
  v_engine text;
  v_amt bigint;
  v_from bigint;
  v_extra bigint;
  v_write_request boolean;
  v_write_message boolean;
  v_post text;
  v_status text;
  v_decline text;
  v_auth bigint; v_held bigint; v_cleared bigint; v_released bigint; v_refunded bigint; v_forced bigint;
  v_force_posted boolean;
  -- rows for the bulk writes, as parallel arrays
  r_seq integer[] := '{}'; r_id uuid[] := '{}'; r_status text[] := '{}'; r_decline text[] := '{}';
  r_auth bigint[] := '{}'; r_held bigint[] := '{}'; r_cleared bigint[] := '{}'; r_released bigint[] := '{}';
  r_refunded bigint[] := '{}'; r_forced bigint[] := '{}'; r_force_posted boolean[] := '{}';
  h_tenant uuid[] := '{}'; h_req uuid[] := '{}'; h_line uuid[] := '{}'; h_held bigint[] := '{}';
  h_reserved bigint[] := '{}'; h_cleared bigint[] := '{}'; h_released bigint[] := '{}';
  h_refunded bigint[] := '{}'; h_forced bigint[] := '{}';
  m_seq integer[] := '{}'; m_req uuid[] := '{}'; m_ok boolean[] := '{}'; m_reason text[] := '{}';
  m_amt bigint[] := '{}'; m_fallback boolean[] := '{}'; m_engine text[] := '{}';
  f_seq integer[] := '{}'; f_kind text[] := '{}'; f_amt bigint[] := '{}'; f_req uuid[] := '{}'; f_line uuid[] := '{}';
  o_seq integer[] := '{}'; o_replay boolean[] := '{}'; o_ok boolean[] := '{}'; o_reason text[] := '{}';
  o_amt bigint[] := '{}'; o_req uuid[] := '{}'; o_msg uuid[] := '{}';
  v_funded uuid[];
  l uuid;
BEGIN
  PERFORM 1 FROM card_authorization_requests r
   WHERE (r.tenant_id, r.provider, r.external_id) IN (
           SELECT i.tenant_id, i.provider, i.external_id
             FROM jsonb_to_recordset(p_items) AS i(tenant_id uuid, provider text, external_id text))
   ORDER BY r.tenant_id, r.id
     FOR UPDATE;
  PERFORM 1 FROM card_expense_trackers t
   WHERE (t.tenant_id, t.line_of_credit_id) IN (
           SELECT i.tenant_id, x.line
             FROM jsonb_to_recordset(p_items) AS i(tenant_id uuid, lines uuid[]), unnest(i.lines) AS x(line)
           UNION
           SELECT h.tenant_id, h.line_of_credit_id
             FROM jsonb_to_recordset(p_items) AS i(tenant_id uuid, provider text, external_id text)
             JOIN card_authorization_requests r
               ON r.tenant_id = i.tenant_id AND r.provider = i.provider AND r.external_id = i.external_id
             JOIN card_authorization_holds h ON h.tenant_id = r.tenant_id AND h.request_id = r.id)
   ORDER BY t.tenant_id, t.line_of_credit_id
     FOR UPDATE;

  FOR it IN
    SELECT i.*,
           r.id AS r_id, r.currency AS r_currency, r.status AS r_status, r.decline_reason AS r_decline,
           r.amount_authorized AS r_auth, r.amount_held AS r_held, r.amount_cleared AS r_cleared,
           r.amount_released AS r_released, r.amount_refunded AS r_refunded, r.amount_forced AS r_forced,
           r.force_posted AS r_force_posted,
           (SELECT array_agg(h.line_of_credit_id ORDER BY h.line_of_credit_id)
              FROM card_authorization_holds h
             WHERE h.tenant_id = r.tenant_id AND h.request_id = r.id) AS hold_lines,
           m.id AS m_id, m.approved AS m_approved, m.reason_code AS m_reason,
           m.approved_amount AS m_amount, m.request_id AS m_request, m.answered_by_fallback AS m_fallback
      FROM jsonb_to_recordset(p_items) AS i(
             seq integer, tenant_id uuid, provider text, external_id text, message_id text, kind text,
             amount bigint, currency text, lines uuid[], card_decline text, lines_decline text,
             invalid_reason text, partial_allowed boolean, single_message boolean, requires_decision boolean,
             told text, advice_approved boolean, new_request_id uuid, message_row_id uuid)
      LEFT JOIN card_authorization_requests r
        ON r.tenant_id = i.tenant_id AND r.provider = i.provider AND r.external_id = i.external_id
      LEFT JOIN card_authorization_messages m
        ON m.tenant_id = i.tenant_id AND m.provider = i.provider AND m.message_id = i.message_id
     ORDER BY i.seq
  LOOP
    -- One item per request per batch: each item reads its request as it was when the batch started.
    v_key := it.tenant_id || '|' || it.provider || '|' || coalesce(it.external_id, '#' || it.message_id);
    IF v_key = ANY (v_seen) THEN
      RAISE EXCEPTION 'card_apply_batch: two items for request %', v_key;
    END IF;
    v_seen := v_seen || v_key;

    -- A replay returns the stored decision and changes nothing.
    IF it.kind <> 'reconcile' AND it.m_id IS NOT NULL THEN
      o_seq := o_seq || it.seq; o_replay := o_replay || true; o_ok := o_ok || it.m_approved;
      o_reason := o_reason || it.m_reason; o_amt := o_amt || it.m_amount; o_req := o_req || it.m_request;
      o_msg := o_msg || it.m_id;
      CONTINUE;
    END IF;

    v_new := it.r_id IS NULL;
    v_req := coalesce(it.r_id, it.new_request_id);
    v_auth := coalesce(it.r_auth, 0); v_held := coalesce(it.r_held, 0); v_cleared := coalesce(it.r_cleared, 0);
    v_released := coalesce(it.r_released, 0); v_refunded := coalesce(it.r_refunded, 0);
    v_forced := coalesce(it.r_forced, 0); v_force_posted := coalesce(it.r_force_posted, false);
    v_status := it.r_status; v_decline := it.r_decline;
    -- The lines a request holds are fixed by its first reservation; before that, the resolved ones (unless
    -- resolution failed: an unknown card or no line leaves nothing to charge).
    v_resolved := CASE WHEN it.card_decline IS NULL AND it.lines_decline IS NULL
                       THEN coalesce(it.lines, '{}') ELSE '{}' END;
    v_lines := CASE WHEN cardinality(it.hold_lines) > 0 THEN it.hold_lines
                    WHEN v_auth = 0 AND v_cleared = 0 AND v_refunded = 0 THEN v_resolved
                    ELSE '{}' END;
    v_ok := true; v_reason := 'approved'; v_engine := NULL; v_amt := 0; v_post := NULL;
    v_write_request := false; v_write_message := true;

    IF it.kind = 'reconcile' THEN
      v_write_message := false;
      IF it.m_id IS NULL OR it.m_fallback OR v_new THEN
        -- nothing recorded to reconcile, or already done
        o_seq := o_seq || it.seq; o_replay := o_replay || true; o_ok := o_ok || coalesce(it.m_approved, false);
        o_reason := o_reason || coalesce(it.m_reason, 'timeout_fallback'); o_amt := o_amt || coalesce(it.m_amount, 0);
        o_req := o_req || it.m_request; o_msg := o_msg || it.m_id;
        CONTINUE;
      END IF;
      v_ok := it.told = 'approve';
      v_reason := 'timeout_fallback';
      IF v_ok AND NOT it.m_approved THEN
        -- the network approved what the engine declined: book it, over the limit if need be
        v_write_request := true; v_amt := it.amount;
        UPDATE card_expense_trackers SET expensed_credits = expensed_credits + v_amt
         WHERE tenant_id = it.tenant_id AND line_of_credit_id = ANY (v_lines);
        v_auth := v_auth + v_amt; v_held := v_held + v_amt; v_forced := v_forced + v_amt;
        v_status := CASE WHEN v_cleared > 0 THEN 'partially_cleared' ELSE 'approved' END;
      ELSIF NOT v_ok AND it.m_approved THEN
        -- the network declined what the engine reserved: the authorization never happened
        v_write_request := true; v_amt := least(it.m_amount, v_held);
        UPDATE card_expense_trackers SET expensed_credits = greatest(expensed_credits - v_amt, 0)
         WHERE tenant_id = it.tenant_id AND line_of_credit_id = ANY (v_lines);
        v_auth := v_auth - v_amt; v_held := v_held - v_amt;
        IF v_auth = 0 AND v_cleared = 0 THEN v_status := 'declined'; v_decline := 'timeout_fallback'; END IF;
        v_amt := 0;
      ELSE
        v_amt := CASE WHEN v_ok THEN it.m_amount ELSE 0 END;
      END IF;
      UPDATE card_authorization_messages
         SET approved = v_ok, reason_code = 'timeout_fallback', approved_amount = v_amt,
             answered_by_fallback = true, engine_reason = it.m_reason
       WHERE tenant_id = it.tenant_id AND id = it.m_id;

    ELSIF it.kind = 'invalid' THEN
      v_ok := false; v_reason := it.invalid_reason;
      IF v_new THEN v_req := NULL; END IF;

    ELSIF it.kind IN ('authorization', 'incremental_authorization') THEN
      v_decline := CASE WHEN NOT v_new AND it.currency <> it.r_currency THEN 'currency_mismatch'
                        ELSE coalesce(it.card_decline,
                                      CASE WHEN cardinality(it.hold_lines) > 0 THEN NULL ELSE it.lines_decline END)
                   END;
      IF it.told = 'decline' THEN
        v_ok := false; v_reason := 'timeout_fallback'; v_engine := v_decline;
      ELSIF v_decline IS NOT NULL AND it.told IS NULL THEN
        v_ok := false; v_reason := v_decline;
      ELSIF v_decline IS NOT NULL THEN
        -- the network approved on our fallback what the engine would decline, with no line to charge
        v_amt := it.amount; v_forced := v_forced + v_amt; v_engine := v_decline;
        v_lines := CASE WHEN cardinality(it.hold_lines) > 0 THEN it.hold_lines ELSE '{}' END;
        UPDATE card_expense_trackers SET expensed_credits = expensed_credits + v_amt
         WHERE tenant_id = it.tenant_id AND line_of_credit_id = ANY (v_lines);
      ELSE
        WITH u AS (
          UPDATE card_expense_trackers SET expensed_credits = expensed_credits + it.amount
           WHERE tenant_id = it.tenant_id AND line_of_credit_id = ANY (v_lines) AND NOT terminated
             AND credits_limit - expensed_credits >= it.amount
          RETURNING line_of_credit_id)
        SELECT array_agg(line_of_credit_id) INTO v_got FROM u;
        IF cardinality(v_got) = cardinality(v_lines) THEN
          v_amt := it.amount;
        ELSE
          IF cardinality(v_got) > 0 THEN
            UPDATE card_expense_trackers SET expensed_credits = expensed_credits - it.amount
             WHERE tenant_id = it.tenant_id AND line_of_credit_id = ANY (v_got);
          END IF;
          -- the rows are locked since the start of the batch, so this read cannot go stale
          SELECT min(credits_limit - expensed_credits), coalesce(bool_or(terminated), true)
            INTO v_avail, v_term
            FROM card_expense_trackers WHERE tenant_id = it.tenant_id AND line_of_credit_id = ANY (v_lines);
          v_engine := CASE WHEN v_term THEN 'no_line_of_credit' ELSE 'insufficient_credits' END;
          IF NOT v_term AND it.partial_allowed AND v_avail > 0 AND it.told IS NULL THEN
            v_amt := v_avail; v_engine := NULL;
          ELSIF it.told = 'approve' THEN
            v_amt := it.amount; v_forced := v_forced + v_amt;
          ELSE
            v_ok := false; v_reason := v_engine; v_engine := NULL;
          END IF;
          IF v_amt > 0 THEN
            UPDATE card_expense_trackers SET expensed_credits = expensed_credits + v_amt
             WHERE tenant_id = it.tenant_id AND line_of_credit_id = ANY (v_lines);
          END IF;
        END IF;
      END IF;
      IF v_ok THEN
        IF it.told = 'approve' THEN v_reason := 'timeout_fallback'; END IF;
        v_auth := v_auth + v_amt; v_held := v_held + v_amt; v_decline := NULL;
        IF it.single_message THEN
          -- authorization and settlement in one message: the hold clears at once
          v_held := v_held - v_amt; v_cleared := v_cleared + v_amt; v_post := 'draw';
        END IF;
        v_status := CASE WHEN v_held > 0 AND v_cleared > 0 THEN 'partially_cleared'
                         WHEN v_held > 0 THEN 'approved' ELSE 'cleared' END;
      ELSE
        v_lines := '{}';
        IF v_new THEN v_status := 'declined'; v_decline := v_reason; ELSE v_decline := it.r_decline; END IF;
      END IF;
      v_write_request := v_new OR v_ok;

    ELSIF it.kind = 'balance_inquiry' OR (it.kind = 'refund' AND it.requires_decision) THEN
      -- nothing is held: an inquiry needs an active card; a pending credit is approved and applied when it settles
      v_ok := it.kind = 'refund' OR it.card_decline IS NULL;
      v_reason := CASE WHEN v_ok THEN 'approved' ELSE it.card_decline END;
      IF v_new THEN v_req := NULL; END IF;

    ELSIF it.kind = 'reversal' THEN
      IF v_new OR it.amount > v_held OR it.currency <> it.r_currency THEN
        -- never release more than is held, nor what was never reserved
        v_ok := false;
        v_reason := CASE WHEN NOT v_new AND it.currency <> it.r_currency THEN 'currency_mismatch' ELSE 'over_reversal' END;
        IF v_new THEN v_req := NULL; END IF;
      ELSE
        v_write_request := true; v_amt := it.amount;
        UPDATE card_expense_trackers SET expensed_credits = greatest(expensed_credits - v_amt, 0)
         WHERE tenant_id = it.tenant_id AND line_of_credit_id = ANY (v_lines);
        v_held := v_held - v_amt; v_released := v_released + v_amt;
        IF v_held = 0 THEN v_status := CASE WHEN v_cleared > 0 THEN 'cleared' ELSE 'reversed' END; END IF;
      END IF;

    ELSIF it.kind = 'expiry' THEN
      IF v_new THEN
        v_req := NULL;
      ELSE
        v_amt := v_held;
        IF v_amt > 0 THEN
          v_write_request := true;
          UPDATE card_expense_trackers SET expensed_credits = greatest(expensed_credits - v_amt, 0)
           WHERE tenant_id = it.tenant_id AND line_of_credit_id = ANY (v_lines);
          v_released := v_released + v_amt; v_held := 0;
          v_status := CASE WHEN v_cleared > 0 THEN 'cleared' ELSE 'expired' END;
        END IF;
      END IF;

    ELSIF it.kind = 'clearing' THEN
      IF NOT v_new AND it.currency <> it.r_currency THEN
        v_ok := false; v_reason := 'currency_mismatch';
      ELSE
        -- a clearing always posts: from the hold first, anything beyond it (or after expiry, or with no
        -- authorization at all: a force post) unconditionally
        v_write_request := true; v_amt := it.amount;
        v_from := least(v_amt, v_held); v_extra := v_amt - v_from;
        IF v_extra > 0 THEN
          UPDATE card_expense_trackers SET expensed_credits = expensed_credits + v_extra
           WHERE tenant_id = it.tenant_id AND line_of_credit_id = ANY (v_lines);
        END IF;
        v_held := v_held - v_from; v_cleared := v_cleared + v_amt; v_forced := v_forced + v_extra;
        v_status := CASE WHEN v_held > 0 THEN 'partially_cleared' ELSE 'cleared' END;
        v_post := 'draw';
        IF v_new THEN
          v_force_posted := true;
          IF cardinality(v_lines) = 0 THEN v_ok := false; v_reason := coalesce(it.card_decline, it.lines_decline); END IF;
        END IF;
      END IF;

    ELSIF it.kind = 'refund' THEN
      v_write_request := true; v_amt := it.amount;
      UPDATE card_expense_trackers SET expensed_credits = greatest(expensed_credits - v_amt, 0)
       WHERE tenant_id = it.tenant_id AND line_of_credit_id = ANY (v_lines);
      v_refunded := v_refunded + v_amt; v_post := 'refund';
      IF v_new THEN
        v_status := 'refunded';
        IF cardinality(v_lines) = 0 THEN v_ok := false; v_reason := coalesce(it.card_decline, it.lines_decline); END IF;
      END IF;

    ELSIF it.kind = 'advice' THEN
      IF it.advice_approved IS FALSE AND v_held > 0 AND v_cleared = 0 THEN
        -- the platform declined what we had approved (our answer came too late): release it
        v_write_request := true; v_amt := v_held;
        UPDATE card_expense_trackers SET expensed_credits = greatest(expensed_credits - v_amt, 0)
         WHERE tenant_id = it.tenant_id AND line_of_credit_id = ANY (v_lines);
        v_auth := v_auth - v_amt; v_held := 0; v_status := 'declined'; v_decline := 'platform_declined';
      ELSIF it.advice_approved IS TRUE AND v_auth = 0 AND v_cleared = 0 AND it.amount > 0 THEN
        -- the platform approved without us (stand-in, or its own default after our deadline): book it
        v_write_request := true; v_amt := it.amount;
        UPDATE card_expense_trackers SET expensed_credits = expensed_credits + v_amt
         WHERE tenant_id = it.tenant_id AND line_of_credit_id = ANY (v_lines);
        v_auth := v_amt; v_held := v_amt; v_forced := v_forced + v_amt; v_status := 'approved'; v_decline := NULL;
      ELSIF v_new THEN
        v_req := NULL;
      END IF;

    ELSE
      RAISE EXCEPTION 'card_apply_batch: unknown item kind %', it.kind;
    END IF;

    IF v_write_request THEN
      r_seq := r_seq || it.seq; r_id := r_id || v_req; r_status := r_status || v_status;
      r_decline := r_decline || v_decline; r_auth := r_auth || v_auth; r_held := r_held || v_held;
      r_cleared := r_cleared || v_cleared; r_released := r_released || v_released;
      r_refunded := r_refunded || v_refunded; r_forced := r_forced || v_forced;
      r_force_posted := r_force_posted || v_force_posted;
      FOREACH l IN ARRAY v_lines LOOP
        h_tenant := h_tenant || it.tenant_id; h_req := h_req || v_req; h_line := h_line || l;
        h_held := h_held || v_held; h_reserved := h_reserved || v_auth; h_cleared := h_cleared || v_cleared;
        h_released := h_released || v_released; h_refunded := h_refunded || v_refunded;
        h_forced := h_forced || v_forced;
        IF v_post IS NOT NULL AND v_amt > 0 THEN
          f_seq := f_seq || it.seq; f_kind := f_kind || v_post; f_amt := f_amt || v_amt;
          f_req := f_req || v_req; f_line := f_line || l;
        END IF;
      END LOOP;
    END IF;
    IF v_write_message THEN
      m_seq := m_seq || it.seq; m_req := m_req || v_req; m_ok := m_ok || v_ok; m_reason := m_reason || v_reason;
      m_amt := m_amt || CASE WHEN v_ok THEN v_amt ELSE 0 END;
      m_fallback := m_fallback || (it.told IS NOT NULL); m_engine := m_engine || v_engine;
    END IF;
    o_seq := o_seq || it.seq; o_replay := o_replay || false; o_ok := o_ok || v_ok; o_reason := o_reason || v_reason;
    o_amt := o_amt || CASE WHEN v_ok THEN v_amt ELSE 0 END; o_req := o_req || v_req;
    o_msg := o_msg || coalesce(it.m_id, it.message_row_id);
  END LOOP;

  INSERT INTO card_authorization_requests AS t (
         tenant_id, id, provider, external_id, provider_config_id, card_id, owner_type, owner_ref, currency,
         status, decline_reason, amount_authorized, amount_held, amount_cleared, amount_released,
         amount_refunded, amount_forced, force_posted, expense_category_ids, merchant, metadata, expires_at)
  SELECT i.tenant_id, u.id, i.provider, i.external_id, i.provider_config_id, i.card_id, i.owner_type,
         i.owner_ref, i.currency, u.status, u.decline, u.auth, u.held, u.cleared, u.released, u.refunded,
         u.forced, u.force_posted, coalesce(i.category_ids, '{}'), coalesce(i.merchant, '{}'),
         coalesce(i.metadata, '{}'), i.expires_at
    FROM unnest(r_seq, r_id, r_status, r_decline, r_auth, r_held, r_cleared, r_released, r_refunded, r_forced,
                r_force_posted)
           AS u(seq, id, status, decline, auth, held, cleared, released, refunded, forced, force_posted)
    JOIN jsonb_to_recordset(p_items) AS i(
           seq integer, tenant_id uuid, provider text, external_id text, provider_config_id uuid, card_id text,
           owner_type text, owner_ref uuid, currency text, category_ids uuid[], merchant jsonb, metadata jsonb,
           expires_at timestamptz) ON i.seq = u.seq
  ON CONFLICT (tenant_id, provider, external_id) DO UPDATE
     SET status = EXCLUDED.status, decline_reason = EXCLUDED.decline_reason,
         amount_authorized = EXCLUDED.amount_authorized, amount_held = EXCLUDED.amount_held,
         amount_cleared = EXCLUDED.amount_cleared, amount_released = EXCLUDED.amount_released,
         amount_refunded = EXCLUDED.amount_refunded, amount_forced = EXCLUDED.amount_forced,
         force_posted = EXCLUDED.force_posted,
         expense_category_ids = CASE WHEN cardinality(t.expense_category_ids) = 0
                                     THEN EXCLUDED.expense_category_ids ELSE t.expense_category_ids END,
         updated_at = now();

  INSERT INTO card_authorization_holds AS t (
         tenant_id, request_id, line_of_credit_id, held, reserved, cleared, released, refunded, forced)
  SELECT * FROM unnest(h_tenant, h_req, h_line, h_held, h_reserved, h_cleared, h_released, h_refunded, h_forced)
  ON CONFLICT (tenant_id, request_id, line_of_credit_id) DO UPDATE
     SET held = EXCLUDED.held, reserved = EXCLUDED.reserved, cleared = EXCLUDED.cleared,
         released = EXCLUDED.released, refunded = EXCLUDED.refunded, forced = EXCLUDED.forced;

  INSERT INTO card_authorization_messages (
         tenant_id, id, provider, message_id, request_id, external_id, provider_config_id, kind, amount,
         currency, approved, reason_code, approved_amount, answered_by_fallback, engine_reason, detail, payload)
  SELECT i.tenant_id, i.message_row_id, i.provider, i.message_id, u.req, i.external_id, i.provider_config_id,
         i.kind, coalesce(i.amount, 0), i.currency, u.ok, u.reason, u.amt, u.fallback, u.engine, i.detail,
         coalesce(i.payload, '{}')
    FROM unnest(m_seq, m_req, m_ok, m_reason, m_amt, m_fallback, m_engine)
           AS u(seq, req, ok, reason, amt, fallback, engine)
    JOIN jsonb_to_recordset(p_items) AS i(
           seq integer, tenant_id uuid, message_row_id uuid, provider text, message_id text, external_id text,
           provider_config_id uuid, kind text, amount bigint, currency text, detail text, payload jsonb)
      ON i.seq = u.seq;

  -- Postings on loan-owned lines become draws (or credits) on the loan: one per message and loan.
  WITH ins AS (
    INSERT INTO card_funding_outbox (
           tenant_id, reference, loan_id, kind, amount, currency, occurred_at, request_id)
    SELECT DISTINCT ON (i.tenant_id, i.message_row_id, lc.owner_ref)
           i.tenant_id, i.message_row_id, lc.owner_ref, u.kind, u.amt, i.currency, i.occurred_at, u.req
      FROM unnest(f_seq, f_kind, f_amt, f_req, f_line) AS u(seq, kind, amt, req, line)
      JOIN jsonb_to_recordset(p_items) AS i(seq integer, tenant_id uuid, message_row_id uuid, currency text,
                                            occurred_at timestamptz) ON i.seq = u.seq
      JOIN card_lines_of_credit lc ON lc.tenant_id = i.tenant_id AND lc.id = u.line
     WHERE lc.owner_type = 'loan'
    ON CONFLICT DO NOTHING
    RETURNING reference)
  SELECT array_agg(reference) INTO v_funded FROM ins;

  RETURN QUERY
    SELECT u.seq, u.replay, u.ok, u.reason, u.amt, u.req, coalesce(u.msg = ANY (v_funded), false)
      FROM unnest(o_seq, o_replay, o_ok, o_reason, o_amt, o_req, o_msg)
             AS u(seq, replay, ok, reason, amt, req, msg);
END
$fn$;
