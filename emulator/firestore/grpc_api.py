"""Serves google.firestore.v1.Firestore over gRPC (``grpc.aio``, on the emulator's event
loop) with generic method handlers, one per row of the RPC table. Unary and
server-streaming RPCs run their store work on the blocking pool; the bidi streams are
async generators on the loop."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import grpc

from emulator.firestore.blocking import BlockingPool
from emulator.firestore.errors import FirestoreError
from emulator.firestore.identity import Caller, caller_of
from emulator.firestore.rpc_table import RPCS, SERVICE, Shape, StreamRunner
from emulator.firestore.service import FirestoreService

log = logging.getLogger(__name__)


def _unary(method: Callable[[Any, Caller], Any], pool: BlockingPool) -> Callable[..., Any]:
    async def handle(request: Any, context: grpc.aio.ServicerContext) -> Any:
        try:
            caller = caller_of(context)
            return await pool.run(lambda: method(request, caller))
        except FirestoreError as error:
            await context.abort(error.code, error.message)

    return handle


def _streaming(method: Callable[[Any, Caller], Any], pool: BlockingPool) -> Callable[..., Any]:
    async def handle(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
        try:
            caller = caller_of(context)
            responses = await pool.run(lambda: list(method(request, caller)))
        except FirestoreError as error:
            await context.abort(error.code, error.message)
            return
        for response in responses:
            yield response

    return handle


def _bidi(runner: StreamRunner) -> Callable[..., Any]:
    async def handle(
        requests: AsyncIterator[Any], context: grpc.aio.ServicerContext
    ) -> AsyncIterator[Any]:
        try:
            async for response in runner(requests, caller_of(context)):
                yield response
        except FirestoreError as error:
            await context.abort(error.code, error.message)

    return handle


def _serialize(message: Any) -> bytes:
    return message.SerializeToString()


def build_handler(
    service: FirestoreService, streams: Mapping[str, StreamRunner], pool: BlockingPool
) -> grpc.GenericRpcHandler:
    """The generic handler for every RPC of the table; ``streams`` runs the bidi ones."""
    handlers: dict[str, grpc.RpcMethodHandler] = {}
    for rpc in RPCS:
        options: dict[str, Any] = {
            "request_deserializer": rpc.request.FromString,
            "response_serializer": _serialize,
        }
        if rpc.shape is Shape.UNARY:
            method = _unary(getattr(service, rpc.handler), pool)
            handlers[rpc.name] = grpc.unary_unary_rpc_method_handler(method, **options)
        elif rpc.shape is Shape.SERVER_STREAMING:
            method = _streaming(getattr(service, rpc.handler), pool)
            handlers[rpc.name] = grpc.unary_stream_rpc_method_handler(method, **options)
        else:
            method = _bidi(streams[rpc.handler])
            handlers[rpc.name] = grpc.stream_stream_rpc_method_handler(method, **options)
    return grpc.method_handlers_generic_handler(SERVICE, handlers)
