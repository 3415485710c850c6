"""The instructor's side after a deadline, for any nbgrader course.

- ``course``: the one place that finds and configures the course, with nbgrader's own config loading
- ``autograde/``: ``peersupport grade``, parallel and sandboxed (pool, worker, sandbox, kernel
  template, state, reasons)
- ``reports/``: ``peersupport report`` and ``export`` (data, analysis, report, exports, records)
- ``suggest``: the response coach's reading of each written answer as a draft comment
- ``dashboard``: the report's numbers, interactively, in a notebook

Reports and exports use pseudonyms unless the instructor asks for real names.
"""
