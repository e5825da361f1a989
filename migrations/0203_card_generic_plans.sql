-- card_apply_batch plans its statements once per session. PL/pgSQL hands the batch's arrays to its statements as
-- parameters; PostgreSQL would plan a custom plan for every call while one for the exact array sizes looks
-- cheaper than the generic plan, and planning the batch's two largest statements cost more than running them
-- (0.15 ms of each call, measured with pg_stat_statements). Their generic plans probe the same keys: the
-- function already runs with sequential and bitmap scans off. The setting holds for the functions it calls.
ALTER FUNCTION card_apply_batch(json) SET plan_cache_mode = force_generic_plan;
