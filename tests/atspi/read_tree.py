#!/usr/bin/python3
"""Reads AuthDoctor's window through AT-SPI, the way Orca does, and drives it by the actions a
screen-reader user has: press a button, pick a radio button, open a section.

Run by tests/atspi.rs under a private D-Bus session with the AT-SPI registry. Prints one JSON
object: the trees of the start page and of a diagnosis, and what had the focus after the check.
"""
import json
import subprocess
import sys
import time

import pyatspi

APP = "AuthDoctor"
TIMEOUT_S = 60


def node(acc, depth=0):
    """An accessible and its children as plain data."""
    try:
        states = sorted(pyatspi.stateToString(s) for s in acc.getState().getStates())
    except Exception:  # noqa: BLE001 (a node can go away while it is read)
        states = []
    item = {
        "role": acc.getRoleName(),
        "name": acc.name or "",
        "states": states,
        "children": [],
    }
    try:
        attributes = dict(a.split(":", 1) for a in acc.getAttributes() if ":" in a)
    except Exception:  # noqa: BLE001
        attributes = {}
    if attributes:
        item["attributes"] = attributes
    if depth < 60:
        for i in range(acc.childCount):
            child = acc.getChildAtIndex(i)
            if child is not None:
                item["children"].append(node(child, depth + 1))
    return item


def walk(item):
    yield item
    for child in item["children"]:
        yield from walk(child)


def text_dump(item, indent=0):
    states = [s for s in item["states"] if s in ("focused", "pressed", "checked", "expanded", "focusable", "editable")]
    line = "  " * indent + item["role"]
    if item["name"]:
        line += " '" + item["name"] + "'"
    if states:
        line += " [" + ", ".join(states) + "]"
    lines = [line]
    for child in item["children"]:
        lines.extend(text_dump(child, indent + 1))
    return lines


def find_app():
    deadline = time.time() + TIMEOUT_S
    while time.time() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            if app is not None and app.childCount > 0:
                frame = app.getChildAtIndex(0)
                if frame is not None and (frame.name or "").startswith(APP):
                    return frame
        time.sleep(0.2)
    sys.exit("the AuthDoctor window never appeared on the accessibility bus")


def find(frame, role, name, timeout_s=TIMEOUT_S):
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        for acc in iterate(frame):
            try:
                if role in (None, acc.getRoleName()) and (acc.name or "") == name:
                    return acc
            except Exception:  # noqa: BLE001
                pass
        time.sleep(0.2)
    sys.exit(f"no {role} named {name!r} appeared")


def iterate(acc, depth=0):
    yield acc
    if depth > 60:
        return
    for i in range(acc.childCount):
        child = acc.getChildAtIndex(i)
        if child is not None:
            yield from iterate(child, depth + 1)


def press(acc):
    action = acc.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ("click", "press", "activate"):
            action.doAction(i)
            return
    action.doAction(0)


def focused_names(frame):
    return [
        {"role": a.getRoleName(), "name": a.name or ""}
        for a in iterate(frame)
        if a.getState().contains(pyatspi.STATE_FOCUSED)
    ]


def wait_for_focus(frame, name):
    deadline = time.time() + TIMEOUT_S
    while time.time() < deadline:
        focused = focused_names(frame)
        if any(f["name"] == name for f in focused):
            return focused
        time.sleep(0.2)
    return focused_names(frame)


def main():
    frame = find_app()
    # With no window manager, nothing gives the window the keyboard focus; a desktop would.
    subprocess.run(["xdotool", "search", "--name", APP, "windowfocus", "--sync"], check=False, timeout=30)
    find(frame, "heading", "Why does my site say 401?")
    start = node(frame)
    # A screen-reader user starts a practice case by its buttons alone.
    press(find(frame, "push button", "Practice with the built-in lab"))
    press(find(frame, "push button", "Practice case 1"))
    focus_after_check = wait_for_focus(frame, "Step 1 of 5: Address")
    window_after_check = frame.name
    press(find(frame, None, "5 Diagnosis"))
    answer = "The site does not accept this user name and password"
    press(find(frame, "radio button", answer))
    find(frame, "heading", "Most likely cause")
    details = None
    for acc in iterate(frame):
        if acc.getRoleName() == "toggle button" and (acc.name or "").startswith("Show technical details of"):
            details = acc
            break
    closed = sorted(pyatspi.stateToString(s) for s in details.getState().getStates()) if details else []
    if details is not None:
        name = details.name
        press(details)
        time.sleep(1.0)
        details = find(frame, "toggle button", name)
    opened = sorted(pyatspi.stateToString(s) for s in details.getState().getStates()) if details else []
    diagnosis = node(frame)
    json.dump(
        {
            "start": start,
            "start_text": text_dump(start),
            "focus_after_check": focus_after_check,
            "window_after_check": window_after_check,
            "diagnosis": diagnosis,
            "diagnosis_text": text_dump(diagnosis),
            "details_closed": closed,
            "details_opened": opened,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
