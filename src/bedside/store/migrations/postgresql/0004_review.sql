-- The editorial workflow (docs/review.md): the board's users, the append-only audit log,
-- assignments, card review statuses, and revisions of approved answers.
CREATE TABLE users (
    user_id        text PRIMARY KEY,
    username       text COLLATE "C" NOT NULL UNIQUE,
    role           text NOT NULL CHECK (role IN ('reviewer', 'editor', 'admin')),
    password_hash  text NOT NULL,                    -- argon2id; never the password
    created_at     text COLLATE "C" NOT NULL
);

-- Every review action. Rows are never changed: the triggers below refuse UPDATE (which includes
-- INSERT ... ON CONFLICT DO UPDATE), DELETE and TRUNCATE, so the log holds even against a bug in
-- Bedside or another program connected to the database.
CREATE TABLE audit_events (
    seq           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    event_id      text PRIMARY KEY,
    subject_id    text NOT NULL,                     -- an answer_id or a card_id
    subject_kind  text NOT NULL CHECK (subject_kind IN ('answer', 'card')),
    actor         text NOT NULL,                     -- username (kept as text: history outlives accounts)
    action        text NOT NULL,
    from_status   text NOT NULL,
    to_status     text NOT NULL,
    note          text NOT NULL DEFAULT '',
    created_at    text COLLATE "C" NOT NULL
);
CREATE INDEX audit_events_by_subject ON audit_events (subject_id, created_at);

CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: events cannot be %',
        CASE TG_OP WHEN 'UPDATE' THEN 'updated' WHEN 'DELETE' THEN 'deleted' ELSE 'truncated' END
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
-- TRUNCATE fires no row triggers; a statement trigger of its own refuses it.
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();

-- Who is working on what; the latest row for a subject is its current assignee.
CREATE TABLE assignments (
    seq          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    subject_id   text NOT NULL,
    assignee     text NOT NULL,
    assigned_by  text NOT NULL,
    assigned_at  text COLLATE "C" NOT NULL
);
CREATE INDEX assignments_by_subject ON assignments (subject_id, assigned_at);

-- A card's status once the workflow has acted on it; before that, its front matter says.
CREATE TABLE card_reviews (
    card_id     text PRIMARY KEY,
    status      text NOT NULL
                CHECK (status IN ('submitted', 'under_review', 'approved', 'changes_requested',
                                  'rejected')),
    updated_at  text COLLATE "C" NOT NULL
);

-- An answer composed while an approved one was being served for the same question: it replaces
-- that one only once approved itself (approved answers are never changed).
ALTER TABLE answers ADD COLUMN revision_of text REFERENCES answers (answer_id);
CREATE INDEX answers_by_review ON answers (review_status, created_at);
CREATE INDEX answers_approved ON answers (question_key, audience) WHERE review_status = 'approved';
