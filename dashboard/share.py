"""The link to the current view, as the reader should copy it.

Pure: the app passes the page's address (``st.context.url``, which has no query string) and the
parameters the page keeps in the URL; the link lists them in a stable order (language, the
page's own settings, the note, the data version last) so the same view always gives the same
link.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlencode


def share_link(
    page_url: str | None,
    page_path: str,
    params: Mapping[str, str | list[str]],
    order: Iterable[str] = (),
) -> str:
    """The full link to a view: the page's address plus its non-default parameters.

    Without a known address (tests, bare mode) the link is relative: ``/prevalence?...``.
    """
    base = page_url or f"/{page_path}"
    wanted = [k for k in order if k in params] + sorted(
        k for k in params if k not in order and k != "v"
    )
    if "v" in params:
        wanted.append("v")
    pairs = []
    for key in wanted:
        values = params[key]
        for value in [values] if isinstance(values, str) else values:
            pairs.append((key, value))
    query = urlencode(pairs)
    return f"{base}?{query}" if query else base
