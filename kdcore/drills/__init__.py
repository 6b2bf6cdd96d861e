"""Interview drills: the question bank, FSRS scheduling, the SQLite progress store, mastery
statistics, mock interviews and the sandboxed grader for coding exercises.

Pure Python (fsrs, sqlite3, subprocess); no Streamlit, so the CLI and tests use it directly.
"""
