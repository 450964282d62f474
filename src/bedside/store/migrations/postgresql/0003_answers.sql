-- Answers (articles and refusals) as served, so the same question on the same knowledge base and
-- settings returns the stored article, and editors can review it. `record` is the answer's JSON
-- form (text, so that it reads back key for key); the other columns are what lookups and the
-- review queue filter on.
CREATE TABLE answers (
    seq                   bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    answer_id             text PRIMARY KEY,
    question              text NOT NULL,
    question_key          text COLLATE "C" NOT NULL,
    audience              text NOT NULL,
    kind                  text NOT NULL CHECK (kind IN ('answer', 'refusal')),
    kb_version            text NOT NULL,
    settings_fingerprint  text NOT NULL,
    follow_up_of          text REFERENCES answers (answer_id),
    review_status         text NOT NULL,
    record                text NOT NULL,
    created_at            text COLLATE "C" NOT NULL,
    updated_at            text COLLATE "C" NOT NULL
);
CREATE INDEX answers_by_question
    ON answers (question_key, audience, kb_version, settings_fingerprint);
CREATE INDEX answers_by_created ON answers (created_at);
