"""The WebSocket framing of the realtime protocol: long messages go as a count then chunks."""

from __future__ import annotations

MAX_FRAME_CHARS = 16384
KEEP_ALIVE = "0"


def split_message(text: str) -> list[str]:
    """The frames to send for one serialized message."""
    if len(text) <= MAX_FRAME_CHARS:
        return [text]
    chunks = [text[i : i + MAX_FRAME_CHARS] for i in range(0, len(text), MAX_FRAME_CHARS)]
    return [str(len(chunks)), *chunks]


class FrameAssembler:
    """Rebuilds messages from incoming frames (a leading frame count, then the pieces)."""

    def __init__(self) -> None:
        self._expected = 0
        self._parts: list[str] = []

    def feed(self, frame: str) -> str | None:
        """The complete message once all its frames arrived; None while waiting or on keep-alive."""
        if self._expected:
            self._parts.append(frame)
            if len(self._parts) < self._expected:
                return None
            message = "".join(self._parts)
            self._expected, self._parts = 0, []
            return message
        if frame == KEEP_ALIVE:
            return None
        if len(frame) <= 6 and frame.isdigit():
            self._expected = int(frame)
            return None
        return frame
