"""nbgrader's file exchange, with one check made strict for a hub where each trainee has an account.

nbgrader names a submission ``<student>+<assignment>+<timestamp>+<random>`` and takes the student from
the name. Anyone who can write to the exchange can therefore name a submission after someone else
(``nbgrader submit --student=B``); nbgrader's collect only warns ("cheating attempt?"). Here collect
refuses such a submission: a submission counts only when the account that owns its folder is the
trainee it names. Every other protection is nbgrader's own: ``inbound/`` can be written but not listed
and each submission carries a random part, so nobody can find another trainee's submission;
feedback files are named by a hash of a secret kept in the trainee's own submission.
"""

from __future__ import annotations

import os
import pwd

from nbgrader.exchange.default.collect import ExchangeCollect


def owner(path: str) -> str | None:
    try:
        return pwd.getpwuid(os.stat(path).st_uid).pw_name
    except KeyError:
        return None


class OwnerCheckedCollect(ExchangeCollect):
    """Collect only the submissions whose folder is owned by the trainee they name (newest one each)."""

    def _path_to_record(self, path):
        rec = super()._path_to_record(path)
        rec["owner"] = owner(path)
        return rec

    def init_src(self):
        super().init_src()
        # super() kept the newest record of each claimed student; look again at that student's own ones.
        import glob

        kept = []
        for rec in self.src_records:
            if rec["owner"] == rec["username"]:
                kept.append(rec)
                continue
            self.log.error("Refused %s: it claims to be from %s but was submitted by %s.",
                           rec["filename"], rec["username"], rec["owner"] or "an unknown account")
            pattern = os.path.join(self.inbound_path, f"{rec['username']}+{self.coursedir.assignment_id}+*")
            own = [r for r in (self._path_to_record(p) for p in glob.glob(pattern)) if r["owner"] == r["username"]]
            if own:
                kept.append(self._sort_by_timestamp(own)[0])
        self.src_records = kept
