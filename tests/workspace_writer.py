"""Child process of the durability tests: a burst of edits on one workspace.

``python workspace_writer.py WORKSPACE DATA COUNT TAG [BARRIER]`` opens the workspace, prints
``ready``, waits for the file BARRIER to exist (when given), then makes COUNT edits (annotations,
their edits, entered facts, in turn) and prints ``<kind> <id> <tag>-<n>`` after each commit,
flushed, so the parent knows exactly which edits were confirmed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from workspace_data import KB, KB_INDICATOR, TARAZ, UNEMPLOYMENT

from workbench.dataset import parquet_folder
from workbench.workspace import store


def main() -> int:
    path, data, count, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    ws = store.open_workspace(path, dataset=parquet_folder.read(data), author=tag)
    last = None
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    if len(sys.argv) > 5:
        barrier = Path(sys.argv[5])
        deadline = time.monotonic() + 30
        while not barrier.exists() and time.monotonic() < deadline:
            time.sleep(0.001)
    for n in range(count):
        label = f"{tag}-{n}"
        step = n % 3
        if step == 0 or last is None:
            note = ws.annotate(TARAZ, UNEMPLOYMENT, 2017, label, category="data error")
            last = note.id
            out.write(f"annotation {note.id} {label}\n")
        elif step == 1:
            note = ws.edit_annotation(last, text=label, state="explained")
            out.write(f"version {note.id}:{note.version} {label}\n")
        else:
            fact = ws.enter_fact(KB, KB_INDICATOR, 2024, f"{n},5")
            out.write(f"fact {fact.id} {label}\n")
        out.flush()
    ws.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
