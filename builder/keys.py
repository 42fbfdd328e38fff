"""What a build's output depends on besides the notes, as digests: this code and the libraries that shape its
output, the templates, the settings. A change to any of them makes the store's records of earlier builds stale."""

from __future__ import annotations

import functools
import hashlib
import importlib
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_LIBRARIES = ("jinja2", "markdown_it", "markdown_it_pyrs", "yaml", "frontmatter", "msgspec")  # modules whose output we keep


def digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


@functools.cache
def code_version() -> str:
    """Changes whenever this package's code or a library that shapes its output changes (once per process: the code
    running is the code that was loaded, whatever happens on disk later)."""
    parts: list[bytes | str] = [p.read_bytes() for p in sorted(_PACKAGE.glob("*.py"))]
    for name in _LIBRARIES:
        try:
            module = importlib.import_module(name)  # already imported by the modules that use it: this only looks it up
        except ImportError:
            parts.append(f"{name} missing")
            continue
        version = getattr(module, "__version__", None)  # read here rather than with importlib.metadata, slow to import
        parts.append(f"{name}=={version}" if version else digest(Path(module.__file__ or name).read_bytes()))
    return digest(*parts)


def tree_digest(folder: Path) -> str:
    """Every file below a folder, by path and content: templates and static assets."""
    if not folder.is_dir():
        return digest("missing")
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return digest(*(x for p in files for x in (p.relative_to(folder).as_posix(), p.read_bytes())))
