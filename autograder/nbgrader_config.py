"""nbgrader configuration for the peer-support course.

Run nbgrader from this folder (``cd autograder && nbgrader ...``) so it finds this file. The
repository root is computed from this file's place, so a clone anywhere works:

- sources:   <root>/exercises/<assignment>/<notebook>.ipynb
- generated: <root>/course/{release,submitted,autograded,feedback}/ and <root>/course/gradebook.db
             (course/ is git-ignored)
- exchange:  $PEERSUPPORT_EXCHANGE, or /srv/nbgrader/exchange (nbgrader's default on JupyterHub)
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

try:
    from peersupport.instructor.course import configure
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "src"))
    from peersupport.instructor.course import configure

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file
configure(c, ROOT)
