-- The editorial workflow (docs/review.md): the board's users, the append-only audit log,
-- assignments, card review statuses, and revisions of approved answers.
CREATE TABLE users (
    user_id        TEXT PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    role           TEXT NOT NULL CHECK (role IN ('reviewer', 'editor', 'admin')),
    password_hash  TEXT NOT NULL,                    -- argon2id; never the password
    created_at     TEXT NOT NULL
);

-- Every review action. Rows are never changed: the triggers below refuse UPDATE, DELETE and
-- REPLACE, so the log holds even against a bug in Bedside or another program writing the file.
CREATE TABLE audit_events (
    event_id      TEXT PRIMARY KEY,
    subject_id    TEXT NOT NULL,                     -- an answer_id or a card_id
    subject_kind  TEXT NOT NULL CHECK (subject_kind IN ('answer', 'card')),
    actor         TEXT NOT NULL,                     -- username (kept as text: history outlives accounts)
    action        TEXT NOT NULL,
    from_status   TEXT NOT NULL,
    to_status     TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);
CREATE INDEX audit_events_by_subject ON audit_events (subject_id, created_at);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only: events cannot be updated');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only: events cannot be deleted');
END;
-- INSERT OR REPLACE deletes the row it conflicts with without firing DELETE triggers.
CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events
WHEN EXISTS (SELECT 1 FROM audit_events WHERE event_id = NEW.event_id)
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only: events cannot be replaced');
END;

-- Who is working on what; the latest row for a subject is its current assignee.
CREATE TABLE assignments (
    subject_id   TEXT NOT NULL,
    assignee     TEXT NOT NULL,
    assigned_by  TEXT NOT NULL,
    assigned_at  TEXT NOT NULL
);
CREATE INDEX assignments_by_subject ON assignments (subject_id, assigned_at);

-- A card's status once the workflow has acted on it; before that, its front matter says.
CREATE TABLE card_reviews (
    card_id     TEXT PRIMARY KEY,
    status      TEXT NOT NULL
                CHECK (status IN ('submitted', 'under_review', 'approved', 'changes_requested',
                                  'rejected')),
    updated_at  TEXT NOT NULL
);

-- An answer composed while an approved one was being served for the same question: it replaces
-- that one only once approved itself (approved answers are never changed).
ALTER TABLE answers ADD COLUMN revision_of TEXT REFERENCES answers (answer_id);
CREATE INDEX answers_by_review ON answers (review_status, created_at);
CREATE INDEX answers_approved ON answers (question_key, audience) WHERE review_status = 'approved';
