"""Serves google.firestore.v1.Firestore over gRPC with generic method handlers, one per
row of the RPC table."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import grpc

from emulator.firestore.errors import FirestoreError
from emulator.firestore.identity import Caller, caller_of
from emulator.firestore.rpc_table import RPCS, SERVICE, Shape, StreamRunner
from emulator.firestore.service import FirestoreService

log = logging.getLogger(__name__)


def _unary(method: Callable[[Any, Caller], Any]) -> Callable[[Any, grpc.ServicerContext], Any]:
    def handle(request: Any, context: grpc.ServicerContext) -> Any:
        try:
            return method(request, caller_of(context))
        except FirestoreError as error:
            context.abort(error.code, error.message)

    return handle


def _streaming(method: Callable[[Any, Caller], Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    def handle(request: Any, context: grpc.ServicerContext) -> Iterator[Any]:
        try:
            yield from method(request, caller_of(context))
        except FirestoreError as error:
            context.abort(error.code, error.message)

    return handle


def _bidi(runner: StreamRunner) -> Callable[..., Iterator[Any]]:
    def handle(requests: Iterator[Any], context: grpc.ServicerContext) -> Iterator[Any]:
        try:
            yield from runner(requests, caller_of(context), context.is_active)
        except FirestoreError as error:
            context.abort(error.code, error.message)

    return handle


def _serialize(message: Any) -> bytes:
    return message.SerializeToString()


def build_handler(
    service: FirestoreService, streams: Mapping[str, StreamRunner]
) -> grpc.GenericRpcHandler:
    """The generic handler for every RPC of the table; ``streams`` runs the bidi ones."""
    handlers: dict[str, grpc.RpcMethodHandler] = {}
    for rpc in RPCS:
        options: dict[str, Any] = {
            "request_deserializer": rpc.request.FromString,
            "response_serializer": _serialize,
        }
        if rpc.shape is Shape.UNARY:
            method = _unary(getattr(service, rpc.handler))
            handlers[rpc.name] = grpc.unary_unary_rpc_method_handler(method, **options)
        elif rpc.shape is Shape.SERVER_STREAMING:
            method = _streaming(getattr(service, rpc.handler))
            handlers[rpc.name] = grpc.unary_stream_rpc_method_handler(method, **options)
        else:
            method = _bidi(streams[rpc.handler])
            handlers[rpc.name] = grpc.stream_stream_rpc_method_handler(method, **options)
    return grpc.method_handlers_generic_handler(SERVICE, handlers)
