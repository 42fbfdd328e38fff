"""Media: the one picture, video, post, map or sound that illustrates an event (its ``media`` field), and what a
reader gets by following it: a picture a page shows itself, or a link named by its kind and the site it is on.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from .pickling import fast_pickle


@fast_pickle
@dataclass(frozen=True, slots=True)
class Media:
    """A picture, video, post, map or sound that illustrates an event, as TimelineJS's slides carry one."""

    url: str
    caption: str | None = None
    credit: str | None = None
    alt: str | None = None  # what an image shows, for those who cannot see it
    line: int = 1

    @property
    def extension(self) -> str:
        """The URL's file extension in lower case ("" for none): what tells a picture or a sound from a page."""
        path = urlparse(self.url).path
        name = path[path.rfind("/") + 1 :]
        return name[name.rfind(".") + 1 :].lower() if "." in name else ""

    @property
    def image(self) -> bool:
        """Whether the media is a picture a page can show itself (anything else is a link to where it lives)."""
        return self.extension in IMAGE_EXTENSIONS


IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "gif", "webp", "avif", "svg"})


# What a link to media says it leads to, by the site it is on (the host, or a parent domain of it) ...
_MEDIA_SITES = {
    "youtube.com": "Video on YouTube", "youtu.be": "Video on YouTube", "vimeo.com": "Video on Vimeo",
    "tiktok.com": "Video on TikTok", "x.com": "Post on X", "twitter.com": "Post on X", "bsky.app": "Post on Bluesky",
    "instagram.com": "Post on Instagram", "facebook.com": "Post on Facebook", "threads.net": "Post on Threads",
    "soundcloud.com": "Audio on SoundCloud", "open.spotify.com": "Audio on Spotify", "wikipedia.org": "Article on Wikipedia",
    "openstreetmap.org": "Map", "maps.google.com": "Map", "maps.apple.com": "Map",
}  # fmt: skip
# ... by a path on a site that holds more than maps ...
_MAP_PATHS = (("google.", "/maps"), ("bing.com", "/maps"))
# ... or by the file it names.
_MEDIA_FILES = {"mp3": "Audio", "m4a": "Audio", "ogg": "Audio", "oga": "Audio", "opus": "Audio", "wav": "Audio", "flac": "Audio",
                "aac": "Audio", "mp4": "Video", "webm": "Video", "mov": "Video", "ogv": "Video", "pdf": "Document (PDF)"}  # fmt: skip


def media_kind(media: Media) -> str:
    """What a reader gets by following media that is not shown in place: "Video on YouTube", "Post on X", "Map", "Audio",
    "Web page" (or "Image" for a picture)."""
    if media.image:
        return "Image"
    parts = urlparse(media.url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    labels = host.split(".")
    for n in range(len(labels) - 1):
        if (found := _MEDIA_SITES.get(".".join(labels[n:]))) is not None:
            return found
    if any(host.startswith(name) or f".{name}" in host for name, path in _MAP_PATHS if parts.path.startswith(path)):
        return "Map"
    return _MEDIA_FILES.get(media.extension, "Web page")


def media_host(url: str) -> str:
    """The site media lives on as readers know it: "https://www.youtube.com/watch?v=1" -> "youtube.com"."""
    return (urlparse(url).hostname or "").removeprefix("www.")
