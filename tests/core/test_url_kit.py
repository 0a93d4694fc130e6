"""Every page keeps its address and its name while urls.py files declare records through core/url_kit.py: a
bookmark, a link in an emailed reminder and every `reverse()` in the code and templates depend on both."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, resolve, reverse, set_script_prefix

from wellled.core.url_kit import address, named_pages, record_paths

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


def test_a_kept_address_is_the_one_reverse_gives_for_every_argument_and_prefix():
    """Addresses are worked out once and kept (issue 24); a kept one must never answer for other arguments, another
    script prefix (Wellled served under a path) or another URL map."""
    assert address("action-update", 7) == reverse("action-update", args=[7]) == "/actions/7/update/"
    assert address("action-update", pk=8) == "/actions/8/update/"
    assert address("dashboard") == reverse("dashboard")
    before = get_script_prefix()
    set_script_prefix("/wellled/")
    try:
        assert address("action-update", 7) == "/wellled/actions/7/update/"
    finally:
        set_script_prefix(before)
    assert address("action-update", 7) == "/actions/7/update/"


def test_a_kept_address_is_not_given_once_the_url_map_has_changed():
    assert address("dashboard") == "/"  # kept under the real map
    with override_settings(ROOT_URLCONF="tests.core.urls_without_pages"), pytest.raises(NoReverseMatch):
        address("dashboard")
