"""The images an imported file points at, read from beside it: never from the web, never from outside its folder.

A reference that cannot be used (a web address, a path leaving the file's
folder, a missing or damaged file) is a warning; the story still imports.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from newsdesk.core.errors import InvalidField
from newsdesk.core.importers.draft import Draft
from newsdesk.core.rules import images as rules
from newsdesk.core.services.images import NewImage


def gather(path: Path, draft: Draft) -> tuple[list[NewImage], list[str]]:
    """The draft's images, decoded and checked, and a warning for each left out."""
    from newsdesk.core.images.ingest import ingest  # Pillow: loaded when a file points at an image

    images: list[NewImage] = []
    warnings: list[str] = []
    folder = path.resolve().parent
    for ref in draft.images:
        shown = ref.src[:80]
        if ref.src.lower().startswith(("http://", "https://")):
            warnings.append(f"the image {shown} was left out: Newsdesk does not fetch images from the web; "
                            "add it with `newsdesk image add`.")
            continue
        file = _inside(folder, ref.src)
        if file is None:
            warnings.append(f"the image {shown} was left out: it is outside the folder of {path.name}.")
            continue
        if not file.is_file():
            warnings.append(f"the image {shown} was left out: there is no such file beside {path.name}.")
            continue
        problem = rules.too_big(file.stat().st_size)
        if problem:
            warnings.append(f"the image {shown} was left out: it {problem}.")
            continue
        try:
            ingested = ingest(file.read_bytes(), file.name)
        except InvalidField as error:
            warnings.append(f"the image {shown} was left out: {error.message}")
            continue
        except OSError as error:
            warnings.append(f"the image {shown} was left out: it cannot be read ({error.strerror or error}).")
            continue
        if not ref.placement.alt:
            warnings.append(f"the image {shown} has no alt text; the pre-publish check will ask for one.")
        images.append(NewImage(ingested, ref.placement))
    return images, warnings


def _inside(folder: Path, src: str) -> Path | None:
    """The file `src` names (a path relative to `folder`, or a file: URL), or None when it leads outside `folder`."""
    text = unquote(urlparse(src).path) if src.lower().startswith("file:") else src.strip("<>")
    file = (folder / text).resolve()  # an absolute path stays absolute; symlinks are followed
    return file if file.is_relative_to(folder) else None
