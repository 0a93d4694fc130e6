"""The two file stores every upload test runs on: the local folder (the default) and a real S3-compatible server
(moto's, started by the tests on a free port), configured exactly as settings.py configures production (ADR 0058)."""

from __future__ import annotations

import socket
import uuid
from dataclasses import dataclass
from typing import Any

LOCAL = "local folder"
S3 = "S3 server"
REGION = "eu-west-2"  # London, where an NHS trust's bucket would be
KEYS = {"access_key": "wellled-test", "secret_key": "wellled-test-secret"}  # moto takes any keys


def free_port() -> int:
    """A TCP port nothing listens on just now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def s3_values(endpoint: str, bucket: str, prefix: str = "") -> dict[str, str]:
    """What settings.py reads from the WELLLED_S3_* variables, for a test bucket."""
    return {
        "bucket": bucket,
        "endpoint_url": endpoint,
        **KEYS,
        "region": REGION,
        "prefix": prefix,
        "addressing_style": "",
        "acl": "private",
    }


def bucket_create(endpoint: str) -> str:
    """A new, empty bucket on the server: each test has its own."""
    import boto3

    name = f"wellled-{uuid.uuid4().hex[:16]}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    ).create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name


@dataclass
class FileStore:
    """The store a test runs on: its kind and its STORAGES entry, and another machine's storage object."""

    kind: str
    config: dict[str, Any]

    def another_machine(self):
        """A storage built afresh from the same settings, as a second web machine would build it."""
        from django.utils.module_loading import import_string

        return import_string(self.config["BACKEND"])(**self.config.get("OPTIONS", {}))
