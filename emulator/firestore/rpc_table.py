"""Every RPC of google.firestore.v1.Firestore the emulator serves, declared once: its
request and response types, its shape (unary, server-streaming, bidi) and the handler
that answers it. gRPC registers every row; REST routes the rows that have a REST
binding; WebChannel serves the bidi rows. No transport keeps a list of its own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from google.cloud.firestore_v1.types import document as document_types
from google.cloud.firestore_v1.types import firestore as fs
from google.protobuf import empty_pb2

from emulator.firestore.identity import Caller

SERVICE = "google.firestore.v1.Firestore"


class Shape(Enum):
    UNARY = "unary"
    SERVER_STREAMING = "server_streaming"
    BIDI = "bidi"


class RestScope(Enum):
    """Which resource a REST ``:verb`` is posted to (it fills the request's name field)."""

    DATABASE = "database"  # …/databases/{d}/documents:commit -> request.database
    PARENT = "parent"  # …/documents[/{path}]:runQuery -> request.parent


@dataclass(frozen=True)
class RestVerb:
    """A ``POST {name}:{verb}`` binding."""

    verb: str
    scope: RestScope


@dataclass(frozen=True)
class Rpc:
    name: str
    request: Any  # the raw protobuf message class
    response: Any
    shape: Shape
    # The FirestoreService method (unary / server-streaming) or the stream runner's key
    # (bidi) that answers it.
    handler: str
    rest: RestVerb | None = None


def _rpc(name: str, request: Any, response: Any, shape: Shape, handler: str, **extra: Any) -> Rpc:
    return Rpc(name, request.pb(), response, shape, handler, **extra)


_Document = document_types.Document.pb()
RPCS: tuple[Rpc, ...] = (
    # Unary. The document RPCs have REST resource routes (GET / PATCH / DELETE / POST on
    # a document or collection name) that rest_api.py maps to these names.
    _rpc("GetDocument", fs.GetDocumentRequest, _Document, Shape.UNARY, "get_document"),
    _rpc(
        "ListDocuments",
        fs.ListDocumentsRequest,
        fs.ListDocumentsResponse.pb(),
        Shape.UNARY,
        "list_documents",
    ),
    _rpc("CreateDocument", fs.CreateDocumentRequest, _Document, Shape.UNARY, "create_document"),
    _rpc("UpdateDocument", fs.UpdateDocumentRequest, _Document, Shape.UNARY, "update_document"),
    _rpc(
        "DeleteDocument", fs.DeleteDocumentRequest, empty_pb2.Empty, Shape.UNARY, "delete_document"
    ),
    _rpc(
        "BeginTransaction",
        fs.BeginTransactionRequest,
        fs.BeginTransactionResponse.pb(),
        Shape.UNARY,
        "begin_transaction",
        rest=RestVerb("beginTransaction", RestScope.DATABASE),
    ),
    _rpc(
        "Commit",
        fs.CommitRequest,
        fs.CommitResponse.pb(),
        Shape.UNARY,
        "commit",
        rest=RestVerb("commit", RestScope.DATABASE),
    ),
    _rpc(
        "Rollback",
        fs.RollbackRequest,
        empty_pb2.Empty,
        Shape.UNARY,
        "rollback",
        rest=RestVerb("rollback", RestScope.DATABASE),
    ),
    _rpc(
        "ListCollectionIds",
        fs.ListCollectionIdsRequest,
        fs.ListCollectionIdsResponse.pb(),
        Shape.UNARY,
        "list_collection_ids",
        rest=RestVerb("listCollectionIds", RestScope.PARENT),
    ),
    _rpc(
        "BatchWrite",
        fs.BatchWriteRequest,
        fs.BatchWriteResponse.pb(),
        Shape.UNARY,
        "batch_write",
        rest=RestVerb("batchWrite", RestScope.DATABASE),
    ),
    # Server-streaming (REST answers them as one JSON array).
    _rpc(
        "BatchGetDocuments",
        fs.BatchGetDocumentsRequest,
        fs.BatchGetDocumentsResponse.pb(),
        Shape.SERVER_STREAMING,
        "batch_get_documents",
        rest=RestVerb("batchGet", RestScope.DATABASE),
    ),
    _rpc(
        "RunQuery",
        fs.RunQueryRequest,
        fs.RunQueryResponse.pb(),
        Shape.SERVER_STREAMING,
        "run_query",
        rest=RestVerb("runQuery", RestScope.PARENT),
    ),
    _rpc(
        "RunAggregationQuery",
        fs.RunAggregationQueryRequest,
        fs.RunAggregationQueryResponse.pb(),
        Shape.SERVER_STREAMING,
        "run_aggregation_query",
        rest=RestVerb("runAggregationQuery", RestScope.PARENT),
    ),
    # Bidi streams: gRPC and WebChannel (the browser SDK's only streaming transport).
    _rpc("Listen", fs.ListenRequest, fs.ListenResponse.pb(), Shape.BIDI, "Listen"),
    _rpc("Write", fs.WriteRequest, fs.WriteResponse.pb(), Shape.BIDI, "Write"),
)

BY_NAME: dict[str, Rpc] = {rpc.name: rpc for rpc in RPCS}
BY_REST_VERB: dict[str, Rpc] = {rpc.rest.verb: rpc for rpc in RPCS if rpc.rest is not None}
BIDI: dict[str, Rpc] = {rpc.name: rpc for rpc in RPCS if rpc.shape is Shape.BIDI}

# A bidi RPC's implementation, shared by gRPC and WebChannel, run on the event loop:
# (requests, caller) -> responses. Cancelling it (the client went away) ends it.
StreamRunner = Callable[[AsyncIterator[Any], Caller], AsyncIterator[Any]]
