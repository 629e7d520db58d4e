-- RegisterImage's Idempotency-Key: the first answer given to a key in a project, so that a client that lost the answer
-- (a timeout, a dropped connection) can send the same registration again and get the same image, not a 409. The key
-- row is written in the register's own transaction: a register that fails keeps no key, one that commits keeps both.
-- request_hash tells a true replay from a reuse of the key with another body (a 422). Rows older than the retention
-- (24 h) are purged hourly by the service; the index serves that purge.
CREATE TABLE idempotency_keys (
    project_id      text        NOT NULL,
    idempotency_key text        NOT NULL,
    request_hash    bytea       NOT NULL,
    response        jsonb,
    create_at       timestamptz NOT NULL,
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (project_id, idempotency_key)
);

CREATE INDEX idempotency_keys_create_at ON idempotency_keys (create_at);
