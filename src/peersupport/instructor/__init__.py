"""The instructor's side after a deadline: grade a cohort in parallel, draft feedback on written
answers, report mastery by competency and certification domain, and export records.

- ``grade``: collect and autograde every submission in worker processes (``pool``, ``worker``),
  resumable (``state``), every problem reported by name (``reasons``)
- ``suggest``: the response coach's reading of each written answer as a draft comment (``suggest``)
- ``report``: mastery, item analysis, score distribution and alerts (``data``, ``analysis``,
  ``plots``, ``htmlreport``)
- ``export``: grades for nbgrader and Canvas, training records (``exports``, ``records``)

Reports and exports use pseudonyms (``pseudonym``) unless the instructor asks for real names.
"""
