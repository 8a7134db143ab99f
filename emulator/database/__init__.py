"""Local Realtime Database emulator: REST, event streams and the SDK's WebSocket protocol."""
