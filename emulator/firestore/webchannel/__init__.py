"""The WebChannel transport of the Firestore emulator: the browser SDK's Listen and Write
streams over plain HTTP/1.1 (closure WebChannel, wire version 8), on the same port as gRPC
and REST. framing: the wire format; session: one channel's state; streams: a channel's
RPC run on the shared stream handlers; http: the aiohttp routes."""
