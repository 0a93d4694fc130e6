"""The one home for stored uploads (core.stored_files, ADR 0058), on the local folder and on a real S3 server: what
one machine stores another reads, a changed file is never passed on, a missing one is a 404, an unreachable store
is said on first use (not at start), and a half-configured one is named by `wellled check`."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.http import Http404
from tests.file_stores import S3, free_port, s3_values

from wellled.core.checks import object_storage_check, s3_missing
from wellled.core.stored_files import (
    FileStoreUnreachable,
    StoredFileChanged,
    download_filename,
    stored_download,
    stored_read,
    upload_store,
)
from wellled.settings import s3_storage

ROOT = Path(__file__).resolve().parents[2]
PAPER = b"%PDF-1.7\n" + b"board minutes " * 20_000 + b"\n%%EOF\n"  # 280 kB: read in several pieces


def _default():
    from django.core.files.storage import default_storage

    return default_storage


def test_what_one_machine_stores_another_reads_with_its_checksum(file_store):
    stored = upload_store(into=_default(), name="papers/minutes.pdf", content=ContentFile(PAPER))
    assert stored.sha256 == hashlib.sha256(PAPER).hexdigest() and stored.size == len(PAPER)
    second = file_store.another_machine()
    assert second is not _default()
    assert stored_read((second, stored.name), sha256=stored.sha256) == PAPER
    if (
        file_store.kind == S3
    ):  # in the bucket under the prefix, private: nothing is stored on this machine's disk
        import boto3

        options = file_store.config["OPTIONS"]
        client = boto3.client(
            "s3",
            endpoint_url=options["endpoint_url"],
            region_name=options["region_name"],
            aws_access_key_id=options["access_key"],
            aws_secret_access_key=options["secret_key"],
        )
        key = f"trust-files/{stored.name}"
        assert client.get_object(Bucket=options["bucket_name"], Key=key)["Body"].read() == PAPER
        grants = client.get_object_acl(Bucket=options["bucket_name"], Key=key)["Grants"]
        assert all("AllUsers" not in str(grant.get("Grantee", {})) for grant in grants)


def test_a_second_upload_of_the_same_name_never_replaces_the_first(file_store):
    first = upload_store(into=_default(), name="papers/agenda.pdf", content=b"%PDF first")
    second = upload_store(into=_default(), name="papers/agenda.pdf", content=b"%PDF second")
    assert first.name != second.name
    assert stored_read((file_store.another_machine(), first.name)) == b"%PDF first"


def test_the_download_is_streamed_with_its_type_length_and_a_safe_name(file_store):
    stored = upload_store(into=_default(), name="papers/pack.pdf", content=PAPER)
    response = stored_download(
        (file_store.another_machine(), stored.name),
        filename='../Board "pack"\r\n March.pdf',
        content_type="application/pdf",
        sha256=stored.sha256,
    )
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/pdf" and response["Content-Length"] == str(len(PAPER))
    assert response["Content-Disposition"] == 'attachment; filename="Board \\"pack\\" March.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    pieces = list(response.streaming_content)
    assert len(pieces) > 1 and b"".join(pieces) == PAPER


def test_a_file_changed_in_the_store_is_refused_on_read_and_its_download_cut_short(file_store):
    stored = upload_store(into=_default(), name="papers/report.pdf", content=PAPER)
    other = file_store.another_machine()
    other.delete(stored.name)
    assert other.save(stored.name, ContentFile(PAPER.replace(b"board", b"bored"))) == stored.name
    with pytest.raises(StoredFileChanged, match="report.pdf no longer matches its checksum"):
        stored_read((_default(), stored.name), sha256=stored.sha256)
    response = stored_download((_default(), stored.name), filename="report.pdf", sha256=stored.sha256)
    with pytest.raises(StoredFileChanged):
        b"".join(response.streaming_content)


def test_a_file_gone_from_the_store_is_not_found(file_store):
    stored = upload_store(into=_default(), name="papers/gone.pdf", content=b"%PDF gone")
    file_store.another_machine().delete(stored.name)
    with pytest.raises(Http404):
        stored_download((_default(), stored.name), filename="gone.pdf")
    with pytest.raises(FileNotFoundError):
        stored_read((_default(), stored.name))


@pytest.fixture
def unreachable_store(settings, tmp_path):
    """S3 configured at an address where nothing answers: settings load and nothing is contacted until a file is."""
    endpoint = f"http://127.0.0.1:{free_port()}"
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(s3_values(endpoint, "wellled-files"))}
    settings.S3_WANTED, settings.S3_SETTINGS = True, s3_values(endpoint, "wellled-files")
    return endpoint


@pytest.mark.django_db
def test_an_unreachable_store_does_not_stop_the_start_and_is_said_on_first_use(
    unreachable_store, client, caplog
):
    call_command("check")  # nothing to report: the configuration is whole
    health = client.get("/health/")
    assert (
        health.status_code == 200
        and "files: object storage (S3) (not checked here)" in health.content.decode()
    )
    with pytest.raises(
        FileStoreUnreachable, match="could not be stored: Wellled's file store cannot be reached"
    ):
        upload_store(into=_default(), name="papers/a.pdf", content=b"%PDF")
    response = stored_download((_default(), "papers/a.pdf"), filename="a.pdf")
    assert response.status_code == 503 and "cannot be reached just now" in response.content.decode()
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert (
        f"S3 bucket wellled-files at {unreachable_store}" in logged
    )  # the administrator is told which store


@pytest.mark.parametrize(
    ("given", "named"),
    [
        (
            {"endpoint_url": "https://objects.example.nhs.uk", "access_key": "k", "secret_key": "s"},
            "WELLLED_S3_BUCKET",
        ),
        ({"bucket": "files", "access_key": "k"}, "WELLLED_S3_SECRET_ACCESS_KEY"),
        ({"bucket": "files", "secret_key": "s"}, "WELLLED_S3_ACCESS_KEY_ID"),
        (
            {"bucket": "files", "endpoint_url": "https://objects.example.nhs.uk"},
            "WELLLED_S3_ACCESS_KEY_ID and",
        ),
        ({"bucket": "files", "acl": "public-read"}, "WELLLED_S3_ACL"),
        ({"bucket": "files", "addressing_style": "sideways"}, "WELLLED_S3_ADDRESSING_STYLE"),
    ],
)
def test_a_half_configured_store_is_named_by_the_check(given, named, settings):
    values = {**dict.fromkeys(s3_values("", ""), ""), "acl": "private", **given}
    settings.S3_WANTED, settings.S3_SETTINGS = True, values
    errors = object_storage_check()
    assert [e.id for e in errors] == ["wellled.E002"] and f"set {named}" in errors[0].msg
    with pytest.raises(SystemCheckError, match=re.escape(named)):
        call_command("check")


def test_a_whole_configuration_and_none_at_all_pass_the_check():
    assert s3_missing({}, wanted=False) == []
    assert s3_missing(s3_values("https://objects.example.nhs.uk", "files"), wanted=True) == []
    on_aws = {
        **s3_values("", "files"),
        "access_key": "",
        "secret_key": "",
    }  # the instance's role gives the keys
    assert s3_missing(on_aws, wanted=True) == []


def _settings_with(env: dict[str, str], tmp_path) -> str:
    code = "from wellled import settings as s; print(s.STORAGES['default']); print(s.S3_WANTED)"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("WELLLED_S3_", "AWS_"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "WELLLED_TESTING": "1", "WELLLED_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return result.stdout


def test_the_environment_chooses_the_store(tmp_path):
    local = _settings_with({}, tmp_path)
    assert "FileSystemStorage" in local and local.endswith("False\n")
    s3 = _settings_with(
        {
            "WELLLED_S3_BUCKET": "northmoor-wellled",
            "WELLLED_S3_ENDPOINT_URL": "https://objects.example.nhs.uk",
            "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "secret-from-aws-variable",
            "WELLLED_S3_PREFIX": "/wellled/",
        },
        tmp_path,
    )
    assert "storages.backends.s3.S3Storage" in s3 and s3.endswith("True\n")
    for expected in (
        "'bucket_name': 'northmoor-wellled'",
        "'access_key': 'AKIAEXAMPLE'",
        "'secret_key': 'secret-from-aws-variable'",
        "'location': 'wellled'",
        "'default_acl': 'private'",
        "'addressing_style': 'path'",
    ):
        assert expected in s3


def test_the_safe_download_name_keeps_no_folder_or_control_character():
    assert download_filename("../../etc/passwd") == "passwd"
    assert download_filename("C:\\evil\\minutes.pdf") == "minutes.pdf"
    assert download_filename("Trust\x00 board\x1b.pdf") == "Trust board.pdf"
    assert download_filename("...") == "file"
    long = download_filename("a" * 300 + ".docx")
    assert len(long) == 200 and long.endswith(".docx")
    assert download_filename("Comité d’audit.pdf") == "Comité d’audit.pdf"


def test_no_code_reaches_a_stored_file_but_through_the_storage_api():
    """No `.path` or `.url` of a stored file, no MEDIA_ROOT or MEDIA_URL joined to a name, no open() of one, no file
    field in the API: every upload is kept and given back through core.stored_files (ADR 0058)."""
    forbidden = re.compile(
        r"\b(?:file|document|evidence|upload|stored)\.(?:path|url)\b|MEDIA_ROOT|MEDIA_URL|default_storage\.(?:path|url)"
        r"|\.(?:file|document)\.open\(|default_storage\.open\("  # read through stored_read / stored_download
        r"|serializers\.(?:File|Image)Field"  # the API would hand out the storage's own address
    )
    found = []
    for source in sorted((ROOT / "src" / "wellled").rglob("*.py")):
        if source.name == "settings.py":
            continue
        for number, line in enumerate(source.read_text().splitlines(), 1):
            if forbidden.search(line):
                found.append(f"{source.relative_to(ROOT)}:{number}: {line.strip()}")
    templates = sorted((ROOT / "src" / "wellled").rglob("*.jinja"))
    found += [
        f"{t.relative_to(ROOT)}: {m[0]}"
        for t in templates
        for m in re.finditer(r"\.(?:file|document)\.url\b|MEDIA_URL", t.read_text())
    ]
    assert found == []


def test_a_process_on_another_machine_configured_by_its_environment_reads_the_same_file(s3_server, tmp_path):
    """Another process, with a data folder (a disk) of its own and only the WELLLED_S3_* variables, reads through
    Django's default storage what this one stored: the settings production reads lead to the same bucket."""
    from django.core.files.storage import storages
    from tests.file_stores import KEYS, REGION, bucket_create

    bucket = bucket_create(s3_server)
    env = {
        "WELLLED_S3_BUCKET": bucket,
        "WELLLED_S3_ENDPOINT_URL": s3_server,
        "WELLLED_S3_ACCESS_KEY_ID": KEYS["access_key"],
        "WELLLED_S3_SECRET_ACCESS_KEY": KEYS["secret_key"],
        "WELLLED_S3_REGION": REGION,
        "WELLLED_S3_PREFIX": "northmoor",
    }
    here = storages.create_storage(s3_storage({**s3_values(s3_server, bucket, prefix="northmoor")}))
    stored = upload_store(into=here, name="assessments/evidence/1/minutes.pdf", content=PAPER)
    code = (
        "import django, hashlib; django.setup(); "
        "from django.core.files.storage import default_storage as s; "
        f"print(hashlib.sha256(s.open({stored.name!r}).read()).hexdigest())"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("WELLLED_S3_", "AWS_"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **clean,
            **env,
            "WELLLED_TESTING": "1",
            "WELLLED_DATA_DIR": str(tmp_path / "other-machine"),
            "DJANGO_SETTINGS_MODULE": "wellled.settings",
        },
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == stored.sha256
    assert not (tmp_path / "other-machine" / "media").exists()  # nothing on the other machine's disk
