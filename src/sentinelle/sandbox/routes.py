"""What answers each URL of the world (and of the site behind the CDN): a page, a
stylesheet, an image or a redirect."""

from __future__ import annotations

from dataclasses import dataclass

from sentinelle.sandbox.model import Page, Redirect, Served, Stylesheet, World


@dataclass(frozen=True, slots=True)
class PageRoute:
    page: Page


@dataclass(frozen=True, slots=True)
class StylesheetRoute:
    sheet: Stylesheet


@dataclass(frozen=True, slots=True)
class MediaRoute:
    served: Served


@dataclass(frozen=True, slots=True)
class RedirectRoute:
    redirect: Redirect


Route = PageRoute | StylesheetRoute | MediaRoute | RedirectRoute


class RouteTable:
    """Routes by (host, path). A route stored with a query matches that query only;
    one stored without matches the path with any query (``?v=3`` and the like)."""

    def __init__(self, world: World) -> None:
        routes: dict[tuple[str, str], Route] = {}
        fronted = world.internet.cdn.fronted
        for page in (*world.pages, *(page for f in fronted for page in f.pages)):
            routes[page.location.host, page.location.path] = PageRoute(page)
        for sheet in world.stylesheets:
            routes[sheet.location.host, sheet.location.path] = StylesheetRoute(sheet)
        for served in (*world.served, *(served for f in fronted for served in f.served)):
            routes[served.location.host, served.location.path] = MediaRoute(served)
        for redirect in (*world.redirects, *(r for f in fronted for r in f.redirects)):
            routes[redirect.location.host, redirect.location.path] = RedirectRoute(redirect)
        self._routes = routes

    def __len__(self) -> int:
        return len(self._routes)

    def find(self, host: str, path: str, query: str = "") -> Route | None:
        if query:
            route = self._routes.get((host, f"{path}?{query}"))
            if route is not None:
                return route
        return self._routes.get((host, path))
