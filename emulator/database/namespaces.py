"""Which database a request addresses: ``?ns=``, else the Host's first label, else the default."""

from __future__ import annotations

import ipaddress
import os


def default_namespace(project_id: str | None) -> str:
    """``<project>-default-rtdb``, the name Firebase gives a project's first database."""
    project = (
        project_id
        or os.environ.get("GCLOUD_PROJECT")
        or os.environ.get("GOOGLE_CLOUD_PROJECT")
        or "demo-project"
    )
    return f"{project}-default-rtdb"


def _label_of(host: str) -> str | None:
    """The first label of a real host name; None for IPs, localhost and bare names."""
    if host.startswith("["):  # [IPv6]:port
        return None
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    try:
        ipaddress.ip_address(name)
        return None
    except ValueError:
        pass
    if "." not in name or name.startswith("localhost"):
        return None
    return name.split(".")[0] or None


def resolve(ns_param: str | None, host: str | None, default: str) -> str:
    """The namespace of a request, as the official emulator picks it."""
    if ns_param:
        return ns_param
    label = _label_of(host or "")
    return label or default
