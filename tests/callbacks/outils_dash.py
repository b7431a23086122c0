"""Helpers of the dashboard tests: read texts, figures and Plotly's typed arrays."""

from __future__ import annotations

import base64
from typing import Any

import numpy as np


def textes(component: Any) -> list[str]:
    """Every string of a Dash component tree (children and string props)."""
    out: list[str] = []
    if component is None:
        return out
    if isinstance(component, str):
        return [component]
    if isinstance(component, int | float):
        return [str(component)]
    if isinstance(component, list | tuple):
        for c in component:
            out.extend(textes(c))
        return out
    if hasattr(component, "to_plotly_json"):
        props = component.to_plotly_json().get("props", {})
        for key, value in props.items():
            if key in ("figure", "style", "config"):
                continue
            if key == "children" or isinstance(value, str):
                out.extend(textes(value))
        return out
    return out


def decode(obj: Any) -> Any:
    """A figure as plain lists: tuples and numpy arrays, and Plotly's base64 typed arrays
    (``{"dtype", "bdata"}``) of JSON answers, decoded."""
    if hasattr(obj, "to_plotly_json"):
        return decode(obj.to_plotly_json())
    if isinstance(obj, dict):
        if "bdata" in obj and "dtype" in obj:
            arr = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"]))
            if "shape" in obj:
                arr = arr.reshape([int(x) for x in str(obj["shape"]).split(",")])
            return arr.tolist()
        return {k: decode(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [decode(v) for v in obj]
    if hasattr(obj, "tolist"):  # numpy arrays left in a figure built in-process
        return obj.tolist()
    return obj


def find_graph(component: Any, graph_id: str) -> Any:
    """The ``figure`` of the ``dcc.Graph`` with id ``graph_id`` in a component tree."""
    if isinstance(component, list | tuple):
        for c in component:
            found = find_graph(c, graph_id)
            if found is not None:
                return found
        return None
    if hasattr(component, "to_plotly_json"):
        props = component.to_plotly_json().get("props", {})
        if props.get("id") == graph_id:
            return props["figure"]
        return find_graph(props.get("children"), graph_id)
    return None


def find_component(component: Any, component_id: str) -> Any:
    """The component with id ``component_id`` in a tree, or None."""
    if isinstance(component, list | tuple):
        for c in component:
            found = find_component(c, component_id)
            if found is not None:
                return found
        return None
    if hasattr(component, "to_plotly_json"):
        props = component.to_plotly_json().get("props", {})
        if props.get("id") == component_id:
            return component
        return find_component(props.get("children"), component_id)
    return None


def texte_de(component: Any, component_id: str) -> str:
    """The text of the component ``component_id`` (a key figure, a tile), words joined by a
    space; fails when there is no such component."""
    found = find_component(component, component_id)
    assert found is not None, f"no component {component_id!r}"
    return " ".join(_enfants(found))


def _enfants(component: Any) -> list[str]:
    """The visible strings of a tree: children only (no id, class or other prop)."""
    if component is None:
        return []
    if isinstance(component, str | int | float):
        return [str(component)]
    if isinstance(component, list | tuple):
        return [t for c in component for t in _enfants(c)]
    if hasattr(component, "to_plotly_json"):
        return _enfants(component.to_plotly_json().get("props", {}).get("children"))
    return []


def _outputs(key: str) -> Any:
    """``"..a.data...b.children.."`` -> the ``outputs`` field Dash's renderer sends."""

    def one(spec: str) -> dict[str, str]:
        comp_id, prop = spec.rsplit(".", 1)
        return {"id": comp_id, "property": prop}

    if key.startswith(".."):
        return [one(s) for s in key.strip(".").split("...")]
    return one(key)


def dash_post(client: Any, dash_app: Any, output_id: str, inputs: dict[tuple[str, str], Any]):
    """A hand-built POST to ``/_dash-update-component``, as a forger would write it.

    ``inputs`` maps (component id, property) to the value sent; every input of the callback
    that writes ``output_id`` must be given.
    """
    key = next(k for k in dash_app.callback_map if f"{output_id}." in k)
    spec = dash_app.callback_map[key]
    payload_inputs = []
    for inp in spec["inputs"]:
        value = inputs[(inp["id"], inp["property"])]
        payload_inputs.append({"id": inp["id"], "property": inp["property"], "value": value})
    payload = {
        "output": key,
        "outputs": _outputs(key),
        "inputs": payload_inputs,
        "changedPropIds": [f"{payload_inputs[0]['id']}.{payload_inputs[0]['property']}"],
        "state": [
            {"id": s["id"], "property": s["property"], "value": None} for s in spec.get("state", [])
        ],
    }
    return client.post("/_dash-update-component", json=payload)
