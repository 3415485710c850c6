"""The instructor's reports out of the gradebook: tables (``data``), mastery and item analysis
(``analysis``), the cohort report (``report``, ``plots``, ``htmlreport``), exports for nbgrader and
Canvas and by item (``exports``), training records (``records``), pseudonyms (``pseudonym``)."""
