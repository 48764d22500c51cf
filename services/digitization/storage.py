"""Where digitized files are kept: a folder (file://) or an S3-compatible bucket (s3://).

Both stores write whole objects only: a file is written beside its key and renamed into
place; an S3 PUT is seen whole or not at all. Nothing here is ever served from a public
URL: the app streams each object after the dossier's scope check.
"""

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

from flask import current_app

CHUNK = 256 * 1024


class FileStore:
    """Objects as files under ROOT; a key is a relative path of safe parts."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        parts = key.split("/")
        if any(p in ("", ".", "..") for p in parts):
            raise ValueError(f"unsafe storage key {key!r}")
        return self.root.joinpath(*parts)

    def put(self, key: str, data: bytes, *, retain: bool = False) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob(f".{path.name}.*.part"):  # a killed writer's leftovers
            stale.unlink(missing_ok=True)
        partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
        with open(partial, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def stream(self, key: str) -> Iterator[bytes]:
        with open(self._path(key), "rb") as source:
            while chunk := source.read(CHUNK):
                yield chunk

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self, prefix: str = "") -> list[str]:
        """Every whole object's key under PREFIX (a folder), for tests and backups."""
        base = self.root / prefix if prefix else self.root
        if not base.exists():
            return []
        return sorted(
            p.relative_to(self.root).as_posix()
            for p in base.rglob("*")
            if p.is_file() and not p.name.startswith(".")
        )

    def partials(self) -> list[str]:
        """Half-written files left by a killed writer (never seen under a key)."""
        if not self.root.exists():
            return []
        return sorted(p.as_posix() for p in self.root.rglob(".*.part"))


class S3Store:
    """Objects in BUCKET under PREFIX through boto3, on AWS or any S3-compatible store."""

    def __init__(self, bucket: str, prefix: str, client):
        self.bucket, self.prefix, self.client = bucket, prefix.strip("/"), client
        self._locked: bool | None = None

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def object_lock(self) -> bool:
        """Does the bucket keep objects under Object Lock? (Asked once.)"""
        if self._locked is None:
            try:
                answer = self.client.get_object_lock_configuration(Bucket=self.bucket)
                config = answer.get("ObjectLockConfiguration", {})
                self._locked = config.get("ObjectLockEnabled") == "Enabled"
            except Exception:
                self._locked = False
        return self._locked

    def put(self, key: str, data: bytes, *, retain: bool = False) -> None:
        extra = {}
        if retain and self.object_lock():
            years = current_app.config.get("FILE_RETENTION_YEARS", 10)
            extra = {
                "ChecksumAlgorithm": "SHA256",  # a locked PUT must carry a checksum (AWS)
                "ObjectLockMode": "COMPLIANCE",
                "ObjectLockRetainUntilDate": datetime.now(UTC) + timedelta(days=365 * years),
            }
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, **extra)

    def get(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()

    def stream(self, key: str) -> Iterator[bytes]:
        body = self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except self.client.exceptions.ClientError:
            return False
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def keys(self, prefix: str = "") -> list[str]:
        found, start = [], self._key(prefix)
        for page in self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=start
        ):
            found += [o["Key"] for o in page.get("Contents", [])]
        cut = len(self.prefix) + 1 if self.prefix else 0
        return sorted(k[cut:] for k in found)

    def partials(self) -> list[str]:
        return []  # a PUT is atomic: S3 never shows half an object


def open_store(config) -> FileStore | S3Store:
    """The store FILE_STORAGE_URL names (empty: instance/files of the app)."""
    url = config.get("FILE_STORAGE_URL") or ""
    if not url:
        return FileStore(Path(current_app.instance_path) / "files")
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return FileStore(parsed.path)
    if parsed.scheme == "s3":
        import boto3  # only where S3 is configured
        from botocore.config import Config as BotoConfig

        client = boto3.client(
            "s3",
            endpoint_url=config.get("S3_ENDPOINT_URL"),
            aws_access_key_id=config.get("AWS_ACCESS_KEY_ID"),
            aws_secret_access_key=config.get("AWS_SECRET_ACCESS_KEY"),
            region_name=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
            config=BotoConfig(
                s3={"addressing_style": "path"},
                retries={"max_attempts": 3},
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        )
        return S3Store(parsed.netloc, parsed.path, client)
    raise ValueError(f"FILE_STORAGE_URL must be file:// or s3://, not {url!r}")


def store():
    """The app's store, built once per app."""
    ext = current_app.extensions
    if "file_store" not in ext:
        ext["file_store"] = open_store(current_app.config)
    return ext["file_store"]
