"""The demo's imported archive: a small WordPress export, brought in by `masthead import wordpress`.

`demo/harbour-town-news.xml` is a WordPress 6.1 export (derived from the one the tests make with the
real WordPress, see its first comment): three published posts filed under "Archive", threaded
comments with wpDiscuz votes, a pending and a trashed comment, a pingback, the editor's pinned
comment, a thread closed to replies. The demo imports it through the same run as the command line
(`run_import`), with an uploads folder whose one picture is drawn here, so a first run shows an
Archive section whose old WordPress addresses (`/2024/04/12/.../`, `/?p=5`) answer 301.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from masthead.migration.models import ImportRun
from masthead.migration.run import run_import

DEMO_EXPORT = Path(__file__).resolve().parent / "demo" / "harbour-town-news.xml"
# The export's one media item, as `_wp_attached_file` names it under wp-content/uploads.
DEMO_UPLOAD = "2024/04/harbour-council.png"


class DemoArchiveError(RuntimeError):
    """The demo export could not be imported (the import's own message says why)."""


@dataclass(frozen=True)
class DemoArchive:
    run: ImportRun
    report: str


def _draw_uploads(folder: Path) -> None:
    """The old site's wp-content/uploads, with its one picture made locally (nothing downloaded)."""
    from PIL import Image

    from masthead.publishing import demo_art

    target = folder / DEMO_UPLOAD
    target.parent.mkdir(parents=True, exist_ok=True)
    picture = demo_art.featured_image("Council passes the harbour budget", "sea", 41)
    with Image.open(io.BytesIO(picture)) as image:
        image.save(target, format="PNG", optimize=True)


def load_demo_archive() -> DemoArchive:
    """Import the demo's WordPress export, as `masthead import wordpress EXPORT --uploads DIR` does.

    Re-running it imports nothing twice: the import finds its own rows by their WordPress ids and
    reports them unchanged. Raises `DemoArchiveError` when the import fails.
    """
    out, err = io.StringIO(), io.StringIO()
    with tempfile.TemporaryDirectory(prefix="masthead-demo-uploads-") as uploads:
        _draw_uploads(Path(uploads))
        status = run_import(
            "wordpress",
            [str(DEMO_EXPORT), "--uploads", uploads, "--no-progress"],
            out,
            err,
            progress=False,
        )
    if status != 0:
        raise DemoArchiveError(err.getvalue().strip() or out.getvalue().strip())
    # run_import records every run that writes: the newest is this one.
    run = ImportRun.objects.filter(source="wordpress").latest("pk")
    return DemoArchive(run=run, report=out.getvalue())
