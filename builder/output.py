"""Writing the site: changed files are staged in a folder beside it and moved in only when the whole
build has succeeded, so a failed build leaves the previous site exactly as it was."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path


def read_static(static_dir: Path, prefix: str = "static") -> dict[str, bytes]:
    """Static assets shipped with the templates, keyed by their path in the site."""
    if not static_dir.is_dir():
        return {}
    return {
        f"{prefix}/{path.relative_to(static_dir).as_posix()}": path.read_bytes()
        for path in sorted(static_dir.rglob("*"))
        if path.is_file()
    }


class Staging:
    """The files a build writes, gathered beside the site until ``commit``; only changed files are staged."""

    def __init__(self, out_dir: Path) -> None:
        self.out = out_dir.absolute()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.fresh = not self.out.is_dir()  # no site yet: the staging folder becomes the site
        self.dir = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent))
        os.chmod(self.dir, 0o755)

    def write(self, rel: str, data: bytes) -> bool:
        """Stage a file unless the site already holds these exact bytes; True when staged."""
        if not self.fresh:
            try:
                if (self.out / rel).read_bytes() == data:
                    return False
            except OSError:
                pass
        target = self.dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return True

    def commit(self, removed: Iterable[str] = ()) -> None:
        """Move the staged files into the site and delete the ones no longer produced."""
        if self.fresh:
            os.replace(self.dir, self.out)
            return
        for staged in sorted(p for p in self.dir.rglob("*") if p.is_file()):
            target = self.out / staged.relative_to(self.dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
        for rel in removed:
            gone = self.out / rel
            gone.unlink(missing_ok=True)
            for folder in gone.parents:
                if folder == self.out or not folder.is_dir() or any(folder.iterdir()):
                    break
                folder.rmdir()
        shutil.rmtree(self.dir, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
