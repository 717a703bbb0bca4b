# SPDX-License-Identifier: Apache-2.0
"""Shared fixtures: the `loom` executable of this build (CTest sets LOOM_EXE) and a CLI runner."""
import json
import os
import subprocess

import pytest


@pytest.fixture(scope="session")
def loom_exe():
    exe = os.environ.get("LOOM_EXE")
    if not exe:
        pytest.skip("LOOM_EXE is not set (CTest sets it)")
    return exe


@pytest.fixture(scope="session")
def cli_run(loom_exe, tmp_path_factory):
    """cli_run(*args) -> (summary.json as a dict, its text): `loom run ARGS -o DIR -q`."""

    def run(*args):
        out = tmp_path_factory.mktemp("cli")
        subprocess.run([loom_exe, "run", *args, "-o", str(out), "-q"], check=True,
                       stdout=subprocess.DEVNULL)
        text = (out / "summary.json").read_text()
        return json.loads(text), text, out

    return run
