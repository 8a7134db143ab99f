"""The local Firestore emulator: gRPC and REST on one port, rules enforced (see README.md)."""
