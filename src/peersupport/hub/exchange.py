"""nbgrader's file exchange, with one check made strict for a hub where each trainee has an account.

nbgrader names a submission ``<student>+<assignment>+<timestamp>+<random>`` and takes the student from
the name. Anyone who can write to the exchange can therefore name a submission after someone else
(``nbgrader submit --student=B``); nbgrader's collect only warns ("cheating attempt?"). Here collect
refuses such a submission: a submission counts only when the account that owns its folder is the
trainee it names. Every other protection is nbgrader's own: ``inbound/`` can be written but not listed
and each submission carries a random part, so nobody can find another trainee's submission;
feedback files are named by a hash of a secret kept in the trainee's own submission.

nbgrader leaves a submission readable (and its folder writable) by everyone who learns its name.
``PrivateSubmit`` closes it to all but the trainee and the course's grader: ``inbound/`` is setgid and
owned by the grader's group, so everything submitted into it takes that group; the trainee's server then
makes folders 2770 and files 0640.
"""

from __future__ import annotations

import os
import pwd

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback
from nbgrader.exchange.default.submit import ExchangeSubmit


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


class PrivateSubmit(ExchangeSubmit):
    """Submit as nbgrader does, then let only the trainee and the grader's group read the submission."""

    def do_copy(self, src, dest, log=None):
        if not os.path.abspath(dest).startswith(os.path.abspath(self.inbound_path) + os.sep):
            return super().do_copy(src, dest, log)
        # nbgrader's copy (shutil.copytree) copies the folder's mode and so drops inbound/'s setgid bit:
        # files written afterwards (timestamp.txt, submission_secret.txt) would not take the grader's group.
        # Make each folder with mkdir, which keeps it.
        import shutil

        from nbgrader.utils import ignore_patterns

        if self.get_size(src) > 1000 * self.coursedir.max_dir_size:
            raise RuntimeError("Directory size is too big.")
        ignore = ignore_patterns(exclude=self.coursedir.ignore, include=self.coursedir.include,
                                 max_file_size=self.coursedir.max_file_size, log=self.log)

        def copy(s, d):
            os.mkdir(d)
            names = os.listdir(s)
            skip = ignore(s, names)
            for name in names:
                if name in skip or os.path.islink(os.path.join(s, name)):
                    continue
                if os.path.isdir(os.path.join(s, name)):
                    copy(os.path.join(s, name), os.path.join(d, name))
                else:
                    shutil.copy2(os.path.join(s, name), os.path.join(d, name))

        copy(src, dest)

    def copy_files(self):
        super().copy_files()
        dest = os.path.join(self.inbound_path, self.assignment_filename)
        for folder, dirs, files in os.walk(dest):
            for f in files:
                os.chmod(os.path.join(folder, f), 0o640)
            os.chmod(folder, 0o2770)


# --- Kubernetes (Zero to JupyterHub): every pod runs as the same account (jovyan) ------------------
# Permissions cannot keep trainees apart there, so each trainee's pod mounts only their own folders of
# the shared exchange volume (deploy/kubernetes/values.yaml, subPath "{username}"):
#   <course>/outbound                  read-only, the same for everyone (released assignments)
#   <course>/inbound/<trainee>/        mounted as the pod's <course>/inbound: submissions
#   <course>/feedback/<trainee>/       mounted read-only as the pod's <course>/feedback: feedback
# The hub fills in <trainee> from the hub's own user name, so a submission's folder says who sent it,
# whatever the submission's name claims; the grader's pod sees the whole volume.


class PerTraineeCollect(ExchangeCollect):
    """Collect from inbound/<trainee>/: the folder names the trainee; a submission naming anyone else is refused."""

    check_owner = False  # every pod is the same account: the folder, not the file owner, tells who it is

    def init_src(self):
        import glob

        super().init_src()  # checks the course and inbound folders and finds the due date
        student = self.coursedir.student_id or "*"
        by_student: dict[str, list[dict]] = {}
        for folder in sorted(glob.glob(os.path.join(self.inbound_path, student))):
            trainee = os.path.basename(folder)
            if not os.path.isdir(folder):
                continue
            for path in glob.glob(os.path.join(folder, f"*+{self.coursedir.assignment_id}+*")):
                rec = ExchangeCollect._path_to_record(self, path)
                if rec["username"] != trainee:
                    self.log.error("Refused %s in %s's folder: it claims to be from %s.", rec["filename"], trainee,
                                   rec["username"])
                    continue
                rec["filename"] = os.path.join(trainee, rec["filename"])
                by_student.setdefault(trainee, []).append(rec)
        self.src_records = []
        for records in by_student.values():
            records = self._sort_by_timestamp(records)
            on_time = [r for r in records if self.duedate is None or not self.before_duedate or r["timestamp"] <= self.duedate]
            self.src_records.append((on_time or records)[0])


class PerTraineeReleaseFeedback(ExchangeReleaseFeedback):
    """Release each trainee's feedback into feedback/<trainee>/, the only feedback folder their pod mounts."""

    def copy_files(self):
        import glob

        shared_dest, every_src = self.dest_path, self.src_path
        try:
            for src in sorted(glob.glob(every_src)):
                trainee = os.path.basename(os.path.dirname(src))   # <feedback>/<trainee>/<assignment>
                self.src_path = src
                self.dest_path = os.path.join(shared_dest, trainee)
                os.makedirs(self.dest_path, exist_ok=True)
                super().copy_files()
        finally:
            self.dest_path, self.src_path = shared_dest, every_src
