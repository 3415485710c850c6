"""The trusted kernel launcher: ``ipykernel_launcher`` with the grading package imported from the
installed environment before any notebook code runs (started by ``sandbox.trusted_command``, which
finds this module with the working directory already off ``sys.path``).

A submission folder is the kernel's working directory, and IPython puts it first on ``sys.path``; a
``peersupport/`` folder shipped in the submission would then be what the hidden tests import. Here
the grading package is imported first, with the working directory off ``sys.path``, so every later
``import peersupport…`` resolves to the installed package (submodules are looked up through the
installed package's ``__path__``). Forked kernels preload the same modules (``kernelfork``), so
plain, forked and sandboxed kernels grade alike.
"""

from __future__ import annotations

import importlib
import os
import sys

#: Imported before notebook code: what every graded notebook of this course imports anyway. Never
#: ipywidgets: it registers its comm targets when imported inside a running kernel, so it must be
#: imported by the kernel itself (``tests/instructor/test_kernelfork.py`` checks this).
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "peersupport.grading", "peersupport.grading.marking",
           "peersupport.scenarios")


def drop_working_dir() -> None:
    cwd = os.getcwd()
    sys.path[:] = [p for p in sys.path if p not in ("", ".") and os.path.abspath(p) != cwd]


def preload() -> None:
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:  # a course without the grading package still gets a kernel
            if not name.startswith("peersupport"):
                raise


def main() -> None:
    drop_working_dir()
    preload()
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
