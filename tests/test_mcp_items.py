"""Items several components list under one name, found before the server is composed
(``wacpy.mcp.items``, ``compose_server(on_duplicate=...)``), and what the composed server then does."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from testkit.components import build_tool
from testkit.serving import call_tool, rpc, serving
from wacpy.mcp import DuplicateItemError, ServerCompositionError, ServerCompositionWarning, compose_server
from wacpy.mcp.items import Item, ItemLists, ItemProbeError, items_of, probe_items, shared_keys, with_items


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mcp-items")


@pytest.fixture(scope="module")
def plain(work: Path) -> bytes:
    return build_tool(work)


@pytest.fixture(scope="module")
def extra(work: Path) -> bytes:
    """The same tools and three more (two of which cannot be listed); its echo says "again: "."""
    return build_tool(work, "-DEXTRA_TOOLS", '-DECHO_PREFIX="again: "')


def test_a_probe_lists_what_the_component_lists_and_what_the_transport_leaves_out(extra: bytes) -> None:
    items = probe_items(extra)
    assert items.tools == (
        Item("echo"),
        Item("media"),
        Item("notify"),
        Item("fail"),
        Item("strict"),
        Item("broken", "its inputSchema is not valid JSON"),
        Item("listy", "its inputSchema is not a JSON object"),
    )
    assert items.resources == items.templates == items.prompts == ()


def test_recorded_items_are_read_back_instead_of_probing(plain: bytes) -> None:
    recorded = ItemLists(tools=(Item("only"), Item("bad", "its inputSchema is not valid JSON")))
    data = with_items(plain, recorded)
    assert items_of(data) == recorded
    assert items_of(with_items(data, ItemLists())) == ItemLists()  # replaced, not added
    assert items_of(plain) is None


def test_a_damaged_items_section_is_an_error_naming_it(plain: bytes) -> None:
    from wacpy import decode, encode
    from wacpy.binary.ast.sections import Component, CustomSection

    damaged = encode(Component((*decode(plain).sections, CustomSection("wacpy-items", b'{"tools": 3}'))))
    with pytest.raises(ItemProbeError, match=r"wacpy-items section is not valid: tools: not a list"):
        items_of(damaged)


def test_shared_keys_name_the_first_and_the_later_component() -> None:
    a = ItemLists(tools=(Item("x"), Item("y")), prompts=(Item("p"),))
    b = ItemLists(tools=(Item("y"),), prompts=(Item("p"),), resources=(Item("r"),))
    c = ItemLists(
        tools=(Item("x"), Item("z", "its inputSchema is not a JSON object")), resources=(Item("r"),)
    )
    assert sorted(shared_keys([("a", a), ("b", b), ("c", c)])) == [
        ("prompts", "p", "a", "b"),
        ("resources", "r", "b", "c"),
        ("tools", "x", "a", "c"),
        ("tools", "y", "a", "b"),
    ]


def _warnings_of(*args: object, **kwargs: object) -> tuple[bytes, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = compose_server(*args, **kwargs)  # type: ignore[arg-type]
    return data, [str(w.message) for w in caught if issubclass(w.category, ServerCompositionWarning)]


def test_warn_names_both_components_and_each_item_left_out(plain: bytes, extra: bytes, work: Path) -> None:
    first, second = work / "first.wasm", work / "second.wasm"
    first.write_bytes(plain)
    second.write_bytes(extra)
    _, said = _warnings_of([first, second])
    assert said == [
        "`second`: tool `broken` is left out: its inputSchema is not valid JSON",
        "`second`: tool `listy` is left out: its inputSchema is not a JSON object",
        *(
            f"tool `{name}` of `second` is hidden by the one of `first`, which comes first"
            for name in ("echo", "media", "notify", "fail")
        ),
    ]


def test_error_refuses_with_the_item_and_both_components(plain: bytes, extra: bytes) -> None:
    with pytest.raises(DuplicateItemError) as caught:
        compose_server([plain, extra], on_duplicate="error")
    assert str(caught.value).startswith("`component1` and `component2` both have tool `echo`")
    assert (caught.value.kind, caught.value.key, caught.value.components) == (
        "tools",
        "echo",
        ("component1", "component2"),
    )


def test_none_looks_at_nothing(plain: bytes) -> None:
    _, said = _warnings_of([plain, plain], on_duplicate=None)
    assert said == []


@pytest.fixture(scope="module")
def cache_config(work: Path) -> Path:
    config = work / "wasmtime-cache.toml"
    config.write_text(f'[cache]\ndirectory = "{work / "wasmtime-cache"}"\n')
    return config


def _served(work: Path, cache_config: Path, data: bytes, name: str) -> Iterator[str]:
    path = work / f"{name}.wasm"
    path.write_bytes(data)
    with serving(path, cache_config, work / f"{name}.log") as url:
        yield url


@pytest.mark.parametrize(("policy", "winner"), [("warn", "echo: "), ("replace", "again: ")])
def test_the_winning_component_answers_the_shared_name(
    plain: bytes, extra: bytes, work: Path, cache_config: Path, policy: str, winner: str
) -> None:
    data, _ = _warnings_of([plain, extra], on_duplicate=policy)
    for url in _served(work, cache_config, data, f"served-{policy}"):
        text = call_tool(url, "echo", {"a": 1})["result"]["content"][0]["text"]
        assert text.startswith(winner)
        names = [t["name"] for t in rpc(url, "tools/list")["result"]["tools"]]
        assert sorted(names) == ["echo", "fail", "media", "notify", "strict"]


def test_a_component_that_cannot_be_probed_is_a_warning_or_with_error_an_error(
    plain: bytes, work: Path
) -> None:
    """A component whose list functions trap (dummy code from its WIT world) cannot be checked."""
    from testkit import framework
    from wacpy.tools import run_wasm_tools

    wit = work / "dummy-wit"
    if not wit.exists():
        wit.mkdir()
        framework.wit_dir(wit)
    core = run_wasm_tools("component", "embed", str(wit), "--world", "tools-provider", "--dummy")
    trapping = run_wasm_tools("component", "new", "-", stdin=core)
    _, said = _warnings_of([plain, trapping])
    assert len(said) == 1
    assert said[0].startswith("`component2`: cannot check its items for names another component has: listing")
    with pytest.raises(ServerCompositionError, match="`component2`: cannot check its items"):
        compose_server([plain, trapping], on_duplicate="error")


def test_a_c_build_records_its_items_and_warns_of_one_the_server_would_leave_out(tmp_path: Path) -> None:
    from wacpy.authoring import build_project, new_project

    root = new_project("schema-slip", language="c", parent=tmp_path)
    source = root / "component.c"
    text = source.read_text()
    # the echo tool's schema loses its closing brace
    broken = text.replace('\\"required\\":[\\"text\\"]}"', '\\"required\\":[\\"text\\"]"', 1)
    assert broken != text
    source.write_text(broken)
    result = build_project(root)
    assert result.warnings == ("tool `echo` will be left out of lists: its inputSchema is not valid JSON",)
    recorded = items_of(result.output.read_bytes())
    assert recorded == ItemLists(tools=(Item("add"), Item("echo", "its inputSchema is not valid JSON")))
