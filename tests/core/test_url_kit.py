"""Every page keeps its address and its name while urls.py files declare records through core/url_kit.py: a
bookmark, a link in an emailed reminder and every `reverse()` in the code and templates depend on both."""

from pathlib import Path
from types import SimpleNamespace

from django.urls import get_resolver, resolve

from wellled.core.url_kit import named_pages, record_paths

ROUTES = Path(__file__).parent / "data" / "url_routes.txt"


def _routes() -> list[str]:
    """Each URL name with the pattern it reverses to, one `name pattern` line each, sorted."""
    lines = []
    for name, entries in get_resolver().reverse_dict.lists():
        if isinstance(name, str):
            lines.extend(f"{name} {pattern}" for _possibilities, pattern, _defaults, _converters in entries)
    return sorted(lines)


def test_every_url_name_keeps_its_pattern():
    assert _routes() == ROUTES.read_text().splitlines()


def test_record_paths_names_views_and_routes_by_the_house_convention():
    pages = ("list", "create", "detail", "edit")
    views = SimpleNamespace(**{f"ward_{page}": lambda request, **kwargs: None for page in pages})
    patterns = record_paths("wards/", views, "ward", pages, name="unit-ward")  # type: ignore[arg-type]

    assert [(str(p.pattern), p.name, p.callback) for p in patterns] == [
        ("wards/", "unit-ward-list", views.ward_list),
        ("wards/new/", "unit-ward-create", views.ward_create),
        ("wards/<int:pk>/", "unit-ward-detail", views.ward_detail),
        ("wards/<int:pk>/edit/", "unit-ward-edit", views.ward_edit),
    ]


def test_named_pages_name_each_page_after_its_view():
    views = SimpleNamespace(risk_heat_map=lambda request: None, baf=lambda request: None)
    patterns = named_pages(views, {"risks/heat-map/": "risk_heat_map", "baf/": "baf"})  # type: ignore[arg-type]

    assert [(str(p.pattern), p.name, p.callback) for p in patterns] == [
        ("risks/heat-map/", "risk-heat-map", views.risk_heat_map),
        ("baf/", "baf", views.baf),
    ]


def test_a_record_page_resolves_to_its_view_with_the_record_key():
    from wellled.risks import views

    match = resolve("/risks/42/edit/")

    assert (match.url_name, match.kwargs, match.func) == ("risk-edit", {"pk": 42}, views.risk_edit)


def test_every_url_name_names_one_page():
    """Two apps giving a page the same name make `reverse()` find the wrong one (committees' and improvement
    boards' meetings did): each name is declared once."""
    names = [line.split()[0] for line in _routes()]
    assert sorted(name for name in set(names) if names.count(name) > 1) == []
