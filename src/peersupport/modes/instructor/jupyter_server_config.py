# JupyterLab in instructor mode: see peersupport/modes/__init__.py.
from peersupport.modes import apply

apply(get_config(), "instructor")  # noqa: F821 - get_config is provided by Jupyter when it loads this file
