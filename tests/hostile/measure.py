"""Reading files in a child process, each file in its own fork, whose peak memory (its own
ru_maxrss from wait4, not RUSAGE_CHILDREN, which mixes in every earlier child of the test
run) and reading time are measured.

The child sets Django up once (about 70 MB) and forks per file, so each measurement holds
the interpreter, Django and the reading of one file: what an app server process needs.
"""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

_CHILD = r"""
import json, os, sys, time
import django
django.setup()
from django.utils import translation
translation.activate("sv")
from core.formats import ImportFileError, read_table
from imports.kolada import read_kolada

def read(kind, path):
    data = open(path, "rb").read()
    start = time.perf_counter()
    try:
        table = (read_kolada if kind == "kolada" else read_table)(data)
        outcome = {"rows": len(table.rows), "columns": len(table.headers)}
    except ImportFileError as exc:
        outcome = {"refused": str(exc)}
    outcome["seconds"] = time.perf_counter() - start
    return outcome

for line in sys.stdin:
    kind, path = json.loads(line)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reader)
        os.write(writer, json.dumps(read(kind, path)).encode())
        os._exit(0)
    os.close(writer)
    chunks = []
    while chunk := os.read(reader, 65536):
        chunks.append(chunk)
    os.close(reader)
    _pid, status, usage = os.wait4(pid, 0)
    outcome = json.loads(b"".join(chunks) or b'{"crashed": true}')
    outcome["peak_mb"] = usage.ru_maxrss / 1024
    outcome["exit"] = os.waitstatus_to_exitcode(status)
    print(json.dumps(outcome), flush=True)
"""


@dataclass
class Measured:
    outcome: dict
    peak_mb: float
    seconds: float


def read_in_children(files: list[tuple[str, Path]]) -> list[Measured]:
    """Read each (kind, path) — kind "table" (read_table) or "kolada" (read_kolada)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings"}
    result = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input="".join(json.dumps([kind, str(path)]) + "\n" for kind, path in files),
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    measured = []
    for line in result.stdout.strip().splitlines():
        outcome = json.loads(line)
        assert outcome.pop("exit") == 0, outcome
        measured.append(Measured(outcome, outcome.pop("peak_mb"), outcome.pop("seconds")))
    assert len(measured) == len(files), result.stderr[-3000:]
    return measured
