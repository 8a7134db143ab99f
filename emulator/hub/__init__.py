"""The Emulator Hub: where Firebase tooling finds the running emulators (see README.md)."""

from emulator.hub.listing import HubEntry, listing
from emulator.hub.server import EmulatorHub, TriggerSwitch

__all__ = ["EmulatorHub", "HubEntry", "TriggerSwitch", "listing"]
