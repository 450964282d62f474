"""The editorial workflow: the medical advisory board's review of articles and guideline cards.

`workflow` holds the states, the allowed-transitions table and the permission matrix (pure
functions, no I/O); `events` the append-only audit record of every action; `accounts` the board's
users and their passwords. The use cases that store all this live in `bedside.service.reviewing`.
"""
