"""The kernel managers nbgrader's Execute step uses while grading: one per way of starting a kernel.

Each is jupyter_client's ``AsyncKernelManager`` with a provisioner of our own (the trusted launcher,
a kernel forked from a template, a sandbox per kernel, a kernel forked inside a worker's sandbox).
"""

from __future__ import annotations

import uuid

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner


def manager_for(provisioner: type[LocalProvisioner], doc: str) -> type[AsyncKernelManager]:
    """An AsyncKernelManager whose kernels are started by `provisioner`."""

    class Manager(AsyncKernelManager):
        async def _async_pre_start_kernel(self, **kw):
            if self.provisioner is None:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = provisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
            return await super()._async_pre_start_kernel(**kw)

    Manager.__name__ = Manager.__qualname__ = provisioner.__name__.replace("Provisioner", "KernelManager")
    Manager.__doc__ = doc
    return Manager


def use(manager: type[AsyncKernelManager]) -> None:
    """Make nbgrader's Execute step in this process start its kernels with `manager`."""
    from nbgrader.preprocessors import execute

    execute.AsyncKernelManager = manager
