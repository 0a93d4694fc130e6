"""Every paper Wellled issues (board paper, BAF, performance report, information answer, and kinds to come) goes
through one pipeline: a kind says what it gathers as at a date and how it lays it out; the pipeline builds,
checks, renders, freezes, fingerprints, stores, withdraws, compares and runs it as a job (ADR 0043)."""
