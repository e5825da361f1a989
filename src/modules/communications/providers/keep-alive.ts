/**
 * The TCP keep-alive of the SDKs' agents. axios sets 60 s on every request's socket and Node's agent sets its own
 * `keepAliveMsecs` back when the socket returns to the pool; with the two equal, Node skips both (eight
 * `setsockopt` calls a message otherwise).
 */
export const TCP_KEEPALIVE_MS = 60_000;
