"""Helpers for the hub tests: a free port, REST sessions, and running code in a kernel of a user's server."""

from __future__ import annotations

import json
import socket
import time
import uuid

import requests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session(token: str) -> requests.Session:
    s = requests.Session()
    s.headers["Authorization"] = f"token {token}"
    return s


class Kernel:
    """A kernel on a user's single-user server behind the hub, driven over its websocket like JupyterLab does."""

    def __init__(self, server: str, token: str, path: str = ""):
        """`server`: the server's address behind the hub, {hub}/user/<name> or {hub}/services/<course>."""
        import websocket

        self.base = server
        self.http = session(token)
        r = self.http.post(f"{self.base}/api/sessions", json={"path": path or f"probe-{uuid.uuid4().hex[:6]}.ipynb",
                                                               "type": "notebook", "kernel": {"name": "python3"}})
        r.raise_for_status()
        self.session_id = r.json()["id"]
        self.id = r.json()["kernel"]["id"]
        ws_url = self.base.replace("http://", "ws://") + f"/api/kernels/{self.id}/channels"
        self.ws = websocket.create_connection(ws_url, header=[f"Authorization: token {token}"], timeout=120)

    def run(self, code: str, timeout: float = 180) -> str:
        """Run `code`; return its printed output; raise with the traceback if it fails."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test", "session": uuid.uuid4().hex,
                       "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        out, error, reply, idle, deadline = [], None, None, False, time.time() + timeout
        while time.time() < deadline:
            msg = json.loads(self.ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                error = "\n".join(msg["content"]["traceback"])
            elif kind == "execute_reply":
                reply = msg["content"]["status"]
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
            if reply and idle:  # the reply (shell) and the last output (iopub) come on different channels
                if error or reply != "ok":
                    raise RuntimeError(f"kernel code failed:\n{code}\n{error}")
                return "".join(out)
        raise TimeoutError(f"kernel did not answer within {timeout} s")

    def close(self) -> None:
        self.ws.close()
        self.http.delete(f"{self.base}/api/sessions/{self.session_id}")
        self.http.delete(f"{self.base}/api/kernels/{self.id}")
