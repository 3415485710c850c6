"""JupyterHub 6 configuration for the peer support course on one machine.

    jupyterhub -f deploy/jupyterhub/jupyterhub_config.py        (as root; `make hub` runs a demonstration)

Everything is set by environment variables (defaults in brackets):

PEERSUPPORT_COURSE        course id, also the grader service's name [peer-support]
PEERSUPPORT_GRADER        the grader account that owns the course folder and runs formgrader [grader-<course>]
PEERSUPPORT_COURSE_ROOT   the course folder, made by peersupport.hub.provision [/home/<grader>/<course>]
PEERSUPPORT_EXCHANGE      nbgrader's exchange [/srv/nbgrader/exchange]
PEERSUPPORT_INSTRUCTORS   instructors' user names, comma separated (more can be added to the group later)
PEERSUPPORT_TRAINEES      trainees' user names, comma separated
PEERSUPPORT_HUB_IP/_PORT  where the hub listens [127.0.0.1:8000]; PEERSUPPORT_HUB_API_PORT [8081],
                          PEERSUPPORT_PROXY_API_PORT [8001], PEERSUPPORT_GRADER_PORT [9999]
PEERSUPPORT_HUB_STATE     the hub's own files: database, cookie secret [working directory]
PEERSUPPORT_HUB_DB_URL    the hub's database [sqlite in PEERSUPPORT_HUB_STATE]
PEERSUPPORT_DB_URL        the gradebook, e.g. postgresql+psycopg2://grader@/peer_support [sqlite in the course]
PEERSUPPORT_AUTH          pam (local accounts and their passwords) or dummy (a demonstration: every account
                          logs in with PEERSUPPORT_DEMO_PASSWORD) [pam]
PEERSUPPORT_ADMIN_TOKEN   if set, a service "course-admin" with this token may manage users, groups,
                          servers and tokens (how `make hub` and the tests create accounts)
PEERSUPPORT_CULL_IDLE     seconds before an idle server is stopped [3600; 0 turns culling off]

Roles: group "trainees" get the curriculum and the Assignments list (trainee mode); group "instructors"
get nbgrader's instructor tools (instructor mode) and formgrader of the course's grader service, which
opens in a new tab at /services/<course>/formgrader. Groups follow nbgrader's conventions for several
courses: formgrade-<course> may use the grader service, nbgrader-<course> may see the course.
Every person is a local account of the same name; their server runs as that account.
"""

import os
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file
env = os.environ.get
REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent           # the environment made from environment.yml (peersupport installed)
COURSE = env("PEERSUPPORT_COURSE", "peer-support")
GRADER = env("PEERSUPPORT_GRADER", f"grader-{COURSE}")
COURSE_ROOT = env("PEERSUPPORT_COURSE_ROOT", f"/home/{GRADER}/{COURSE}")
EXCHANGE = env("PEERSUPPORT_EXCHANGE", "/srv/nbgrader/exchange")
STATE = Path(env("PEERSUPPORT_HUB_STATE", os.getcwd()))
INSTRUCTORS = [u for u in env("PEERSUPPORT_INSTRUCTORS", "").split(",") if u]
TRAINEES = [u for u in env("PEERSUPPORT_TRAINEES", "").split(",") if u]


def mode_dir(mode: str) -> str:
    from peersupport.modes import config_dir

    return str(config_dir(mode))


# --- network: loopback unless told otherwise; configurable-http-proxy from npm ----------------------
c.JupyterHub.ip = env("PEERSUPPORT_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(env("PEERSUPPORT_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("PEERSUPPORT_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env('PEERSUPPORT_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [shutil.which("configurable-http-proxy") or "configurable-http-proxy"]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = env("PEERSUPPORT_HUB_DB_URL", f"sqlite:///{STATE / 'jupyterhub.sqlite'}")
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True        # stopping the hub stops everyone's server
c.JupyterHub.cleanup_proxy = True

# --- who may log in ------------------------------------------------------------------------------
if env("PEERSUPPORT_AUTH", "pam") == "dummy":
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = env("PEERSUPPORT_DEMO_PASSWORD") or None
else:
    c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set(INSTRUCTORS + TRAINEES)
c.Authenticator.allow_existing_users = True    # people added through the REST API or the admin page
c.Authenticator.admin_users = set()

# --- groups and roles ----------------------------------------------------------------------------
c.JupyterHub.load_groups = {
    "instructors": {"users": INSTRUCTORS},
    "trainees": {"users": TRAINEES},
    f"formgrade-{COURSE}": {"users": INSTRUCTORS},
    f"nbgrader-{COURSE}": {"users": INSTRUCTORS + TRAINEES},
}
roles = [
    # a person's server may act as that person (nbgrader's course list asks the hub which courses they have)
    {"name": "server", "scopes": ["inherit"]},
    {"name": f"formgrade-{COURSE}", "groups": [f"formgrade-{COURSE}"], "scopes": [f"access:services!service={COURSE}"]},
    {"name": f"nbgrader-{COURSE}", "groups": [f"nbgrader-{COURSE}"],
     "scopes": ["list:services", f"read:services!service={COURSE}"]},
    # instructors see who is in the course and whose server runs (the hub's admin page, read-only)
    {"name": "instructor", "groups": ["instructors"],
     "scopes": ["admin-ui", "list:users", "read:users", "read:groups", "read:servers"]},
]

# --- each person's server: their own account, their role's mode ---------------------------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = "/lab/tree/modules/01-active-listening.ipynb"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {
    "PEERSUPPORT_COURSE": COURSE,
    "PEERSUPPORT_EXCHANGE": EXCHANGE,
    "PEERSUPPORT_CONTENT": env("PEERSUPPORT_CONTENT", str(REPO / "scenarios")),
    "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
}


def pre_spawn_hook(spawner):
    """Trainee or instructor mode by group; the teaching notebooks copied into the person's home."""
    from peersupport.hub.provision import install_modules

    groups = {g.name for g in spawner.user.groups}
    mode = "instructor" if "instructors" in groups else "trainee"
    spawner.environment["JUPYTER_CONFIG_PATH"] = mode_dir(mode)
    spawner.environment["PEERSUPPORT_MODE"] = mode
    install_modules(REPO, spawner.user.name)


c.Spawner.pre_spawn_hook = pre_spawn_hook

# --- the course's grader service: formgrader and the course folder, as the grader account -------
services = [{
    "name": COURSE,
    "url": f"http://127.0.0.1:{env('PEERSUPPORT_GRADER_PORT', '9999')}",
    "command": [str(BIN / "jupyterhub-singleuser"), f"--ServerApp.root_dir={COURSE_ROOT}"],
    "user": GRADER,
    "cwd": COURSE_ROOT,
    "display": True,
    "oauth_no_confirm": True,
    "environment": {
        "JUPYTERHUB_DEFAULT_URL": "/formgrader",
        "JUPYTER_CONFIG_PATH": mode_dir("instructor"),
        "PEERSUPPORT_COURSE": COURSE,
        "PEERSUPPORT_EXCHANGE": EXCHANGE,
        "PEERSUPPORT_CONTENT": env("PEERSUPPORT_CONTENT", str(REPO / "scenarios")),
        "PEERSUPPORT_DB_URL": env("PEERSUPPORT_DB_URL", ""),
        "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
    },
}]

if env("PEERSUPPORT_ADMIN_TOKEN"):
    services.append({"name": "course-admin", "api_token": env("PEERSUPPORT_ADMIN_TOKEN")})
    roles.append({"name": "course-admin", "services": ["course-admin"],
                  "scopes": ["admin:users", "admin:servers", "admin:groups", "tokens", "list:services"]})

# --- idle culling: stop servers nobody has used for PEERSUPPORT_CULL_IDLE seconds -----------------
cull = int(env("PEERSUPPORT_CULL_IDLE", "3600"))
if cull:
    services.append({"name": "idle-culler",
                     "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={cull}"]})
    roles.append({"name": "idle-culler", "services": ["idle-culler"],
                  "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]})

c.JupyterHub.services = services
c.JupyterHub.load_roles = roles
