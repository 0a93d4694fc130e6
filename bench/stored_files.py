"""Keeping and giving back a 10 MB upload through core.stored_files (ADR 0058), on the local folder and on an
S3-compatible server (moto's, started here on a free port): store, read checked against its SHA-256, and a streamed
download (first piece, and whole). Prints best-of-N seconds and MB/s.

    python bench/stored_files.py [--megabytes 10] [--repeat 5]

moto keeps objects in the process's memory and speaks HTTP on the loopback, so the S3 figures are the cost of the
protocol and the client (boto3), not of a real store's network and disks.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="wellled-bench-files-")
    os.environ.setdefault("WELLLED_DEBUG", "1")
    os.environ["WELLLED_DATA_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wellled.settings")
    import django

    django.setup()
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage
    from django.utils.module_loading import import_string
    from moto.server import ThreadedMotoServer
    from tests.file_stores import bucket_create, free_port, s3_values

    from wellled.core.stored_files import stored_download, stored_read, upload_store
    from wellled.settings import s3_storage

    content = os.urandom(args.megabytes * 1024 * 1024)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    try:
        config = s3_storage(s3_values(endpoint, bucket_create(endpoint)))
        stores = {
            "local folder": FileSystemStorage(location=Path(folder) / "media"),
            "S3 (moto)": import_string(config["BACKEND"])(**config["OPTIONS"]),
        }
        print(f"{args.megabytes} MB file, best of {args.repeat} (after one warm-up)")
        for kind, storage in stores.items():
            stored = upload_store(into=storage, name="bench/file.bin", content=ContentFile(content))

            def store(storage=storage):
                return upload_store(into=storage, name="bench/again.bin", content=ContentFile(content))

            def read(storage=storage, stored=stored):
                return stored_read((storage, stored.name), sha256=stored.sha256)

            def first_piece(storage=storage, stored=stored):
                response = stored_download((storage, stored.name), filename="file.bin", sha256=stored.sha256)
                piece = next(iter(response.streaming_content))
                response.close()
                return piece

            def whole(storage=storage, stored=stored):
                response = stored_download((storage, stored.name), filename="file.bin", sha256=stored.sha256)
                return sum(len(piece) for piece in response.streaming_content)

            for label, step in (
                ("store", store),
                ("read, checked", read),
                ("download, first piece", first_piece),
                ("download, whole", whole),
            ):
                step()  # warm-up
                best = min(_timed(step) for _ in range(args.repeat))
                rate = "" if label.endswith("piece") else f"  {args.megabytes / best:7.0f} MB/s"
                print(f"  {kind:13} {label:22} {best * 1000:8.1f} ms{rate}")
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _timed(step) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
