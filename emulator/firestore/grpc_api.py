"""Serves google.firestore.v1.Firestore over gRPC with generic method handlers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import grpc
from google.cloud.firestore_v1.types import firestore as fs

from emulator.firestore.errors import FirestoreError
from emulator.firestore.identity import Caller, caller_of
from emulator.firestore.listen import ListenHandler
from emulator.firestore.service import FirestoreService
from emulator.firestore.write_stream import WriteStreamHandler

log = logging.getLogger(__name__)
SERVICE = "google.firestore.v1.Firestore"

# RPC name -> (request type, service method).
_UNARY: dict[str, tuple[Any, str]] = {
    "GetDocument": (fs.GetDocumentRequest, "get_document"),
    "ListDocuments": (fs.ListDocumentsRequest, "list_documents"),
    "CreateDocument": (fs.CreateDocumentRequest, "create_document"),
    "UpdateDocument": (fs.UpdateDocumentRequest, "update_document"),
    "DeleteDocument": (fs.DeleteDocumentRequest, "delete_document"),
    "BeginTransaction": (fs.BeginTransactionRequest, "begin_transaction"),
    "Commit": (fs.CommitRequest, "commit"),
    "Rollback": (fs.RollbackRequest, "rollback"),
    "ListCollectionIds": (fs.ListCollectionIdsRequest, "list_collection_ids"),
    "BatchWrite": (fs.BatchWriteRequest, "batch_write"),
}
_STREAMING: dict[str, tuple[Any, str]] = {
    "BatchGetDocuments": (fs.BatchGetDocumentsRequest, "batch_get_documents"),
    "RunQuery": (fs.RunQueryRequest, "run_query"),
    "RunAggregationQuery": (fs.RunAggregationQueryRequest, "run_aggregation_query"),
}


def _abort(context: grpc.ServicerContext, error: FirestoreError) -> None:
    context.abort(error.code, error.message)


def _unary(method: Callable[[Any, Caller], Any]) -> Callable[[Any, grpc.ServicerContext], Any]:
    def handle(request: Any, context: grpc.ServicerContext) -> Any:
        try:
            return method(request, caller_of(context))
        except FirestoreError as error:
            _abort(context, error)

    return handle


def _streaming(method: Callable[[Any, Caller], Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    def handle(request: Any, context: grpc.ServicerContext) -> Iterator[Any]:
        try:
            yield from method(request, caller_of(context))
        except FirestoreError as error:
            _abort(context, error)

    return handle


def _serialize(message: Any) -> bytes:
    return message.SerializeToString()


def build_handler(
    service: FirestoreService, listen: ListenHandler, writes: WriteStreamHandler
) -> grpc.GenericRpcHandler:
    """The generic handler for every RPC the emulator serves."""
    handlers: dict[str, grpc.RpcMethodHandler] = {}
    for name, (request_type, attribute) in _UNARY.items():
        handlers[name] = grpc.unary_unary_rpc_method_handler(
            _unary(getattr(service, attribute)),
            request_deserializer=request_type.pb().FromString,
            response_serializer=_serialize,
        )
    for name, (request_type, attribute) in _STREAMING.items():
        handlers[name] = grpc.unary_stream_rpc_method_handler(
            _streaming(getattr(service, attribute)),
            request_deserializer=request_type.pb().FromString,
            response_serializer=_serialize,
        )
    handlers["Listen"] = grpc.stream_stream_rpc_method_handler(
        listen.handle_grpc,
        request_deserializer=fs.ListenRequest.pb().FromString,
        response_serializer=_serialize,
    )
    handlers["Write"] = grpc.stream_stream_rpc_method_handler(
        writes.handle_grpc,
        request_deserializer=fs.WriteRequest.pb().FromString,
        response_serializer=_serialize,
    )
    return grpc.method_handlers_generic_handler(SERVICE, handlers)
