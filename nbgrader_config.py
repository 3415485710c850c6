"""nbgrader's configuration at the course root, where nbgrader and JupyterHub expect it.

The course's settings live in autograder/nbgrader_config.py; this loads them, so `nbgrader ...` and
`peersupport ...` work from the repository root as well as from autograder/.
"""

load_subconfig("autograder/nbgrader_config.py")  # noqa: F821 - provided by traitlets when it loads this file
