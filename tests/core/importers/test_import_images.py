"""Images an imported Markdown file points at: stored with the story in one transaction, never from outside its folder."""

from __future__ import annotations

from pathlib import Path

import picture_files

from newsdesk.core.importers import import_files
from newsdesk.core.services.stories import StoryService

TEXT = """# Storm hits the coast

![Waves over the pier](photo.jpg "The pier at noon") and more text.

![escape](../outside.jpg) ![gone](missing.jpg) ![broken](broken.jpg) ![web](https://example.com/a.jpg)

How to show a picture: `![Waves over the pier](photo.jpg)`, or

```
![A code example](example.jpg)
```
"""


def test_markdown_images_come_with_the_story(store, admin, tmp_path: Path):
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "photo.jpg").write_bytes(picture_files.jpeg(400, 300, artist="Ana Lee"))
    (tmp_path / "outside.jpg").write_bytes(picture_files.jpeg(200, 100))
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"x" * 64)
    page = folder / "story.md"
    page.write_text(TEXT)
    [result] = import_files(store, admin, [page])
    assert result.imported
    story = StoryService(store, admin).get(result.story.id)  # a second view of the store
    [image] = story.images
    assert (image.alt, image.caption, image.credit, image.width) == ("Waves over the pier", "The pier at noon", "Ana Lee", 400)
    assert f'![Waves over the pier](image:{image.image_id} "The pier at noon")' in story.body
    assert "![escape](../outside.jpg)" in story.body
    assert "`![Waves over the pier](photo.jpg)`" in story.body, "code shows the Markdown as written"
    assert "example.jpg" not in " ".join(result.warnings), "an example in code is not an image to bring"
    text = " ".join(result.warnings)
    assert "../outside.jpg was left out: it is outside the folder" in text
    assert "missing.jpg was left out: there is no such file" in text
    assert "broken.jpg was left out: broken.jpg is" in text
    assert "https://example.com/a.jpg was left out: Newsdesk does not fetch" in text
    assert result.to_json()["images"] == 1


def test_a_link_beside_the_file_that_leads_out_of_its_folder_brings_nothing(store, admin, tmp_path: Path):
    """A symlink in the story's folder looks like a file beside it; what it reaches outside stays out."""
    folder = tmp_path / "story"
    folder.mkdir()
    (tmp_path / "private.jpg").write_bytes(picture_files.jpeg(200, 100))
    (folder / "photo.jpg").symlink_to(tmp_path / "private.jpg")
    (folder / "pictures").symlink_to(tmp_path)
    page = folder / "story.md"
    page.write_text("# Storm hits the coast\n\n![a](photo.jpg) ![b](pictures/private.jpg)\n")
    [result] = import_files(store, admin, [page])
    assert result.imported
    story = StoryService(store, admin).get(result.story.id)
    assert story.images == ()
    assert "![a](photo.jpg) ![b](pictures/private.jpg)" in story.body
    text = " ".join(result.warnings)
    assert "photo.jpg was left out: it is outside the folder" in text
    assert "pictures/private.jpg was left out: it is outside the folder" in text
