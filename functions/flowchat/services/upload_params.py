"""Parameters of uploads; values are read at run time only."""

from __future__ import annotations

from firebase_functions import params

MIB = 1024 * 1024

MAX_IMAGE_BYTES = params.IntParam(
    "MAX_IMAGE_BYTES", default=10 * MIB, description="Largest image a member may upload."
)
MAX_VIDEO_BYTES = params.IntParam(
    "MAX_VIDEO_BYTES", default=100 * MIB, description="Largest video a member may upload."
)
MAX_DOCUMENT_BYTES = params.IntParam(
    "MAX_DOCUMENT_BYTES", default=25 * MIB, description="Largest PDF or text file."
)
MAX_OTHER_BYTES = params.IntParam(
    "MAX_OTHER_BYTES", default=25 * MIB, description="Largest file of the other allowed types."
)
CLOUDINARY_UPLOAD_PREFIX = params.StringParam(
    "CLOUDINARY_UPLOAD_PREFIX",
    default="",
    description="Upload API base URL; empty means Cloudinary's own (tests point it elsewhere).",
)
CLOUDINARY_SIGNATURE_ALGORITHM = params.StringParam(
    "CLOUDINARY_SIGNATURE_ALGORITHM",
    default="sha1",
    description="sha1 or sha256: the signature algorithm set in the Cloudinary account.",
)
CLOUDINARY_CHUNK_BYTES = params.IntParam(
    "CLOUDINARY_CHUNK_BYTES",
    default=6 * MIB,
    description="upload_file sends files to Cloudinary in parts of this size (at least 5 MiB).",
)
CLAMD_ADDRESS = params.StringParam(
    "CLAMD_ADDRESS",
    default="",
    description="host:port of a ClamAV daemon; when set upload_file scans every file.",
)
CLAMD_TIMEOUT_SECONDS = params.IntParam("CLAMD_TIMEOUT_SECONDS", default=30)
SIGNATURE_LIFETIME_SECONDS = 3600  # Cloudinary refuses a signed request older than an hour.
