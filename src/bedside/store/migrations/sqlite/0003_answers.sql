-- Answers (articles and refusals) as served, so the same question on the same knowledge base and
-- settings returns the stored article, and editors can review it. `record` is the answer's JSON
-- form; the other columns are what lookups and the review queue filter on.
CREATE TABLE answers (
    answer_id             TEXT PRIMARY KEY,
    question              TEXT NOT NULL,
    question_key          TEXT NOT NULL,
    audience              TEXT NOT NULL,
    kind                  TEXT NOT NULL CHECK (kind IN ('answer', 'refusal')),
    kb_version            TEXT NOT NULL,
    settings_fingerprint  TEXT NOT NULL,
    follow_up_of          TEXT REFERENCES answers (answer_id),
    review_status         TEXT NOT NULL,
    record                TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
CREATE INDEX answers_by_question
    ON answers (question_key, audience, kb_version, settings_fingerprint);
CREATE INDEX answers_by_created ON answers (created_at);
