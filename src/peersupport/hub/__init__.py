"""Running the course on JupyterHub: provisioning (accounts, course folder, exchange), the strict
collect, and the demonstration hub behind ``make hub`` (``python -m peersupport.hub.demo``).
The hub's configuration is deploy/jupyterhub/jupyterhub_config.py."""
