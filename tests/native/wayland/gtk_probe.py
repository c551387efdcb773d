# A GTK 3 window for the Wayland driver's C test: a text entry above a large click target.
# Prints "ready" once mapped and focused; "press N" for each pointer button pressed on the
# target, "scroll up|down" for each wheel step over it; on the stdin line "dump" prints the
# entry's text as JSON, on "clear" empties it, on "animate N" changes the target's label N times
# at 30 frames per second; exits when stdin closes.
import json
import sys

import gi

gi.require_version("Gdk", "3.0")
gi.require_version("Gtk", "3.0")
from gi.repository import Gdk, GLib, Gtk  # noqa: E402

GLib.set_prgname("opendesk-gtk-probe")
settings = Gtk.Settings.get_default()
settings.set_property("gtk-cursor-blink", False)
win = Gtk.Window(title="opendesk wayland probe")
box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)
entry = Gtk.Entry()
target = Gtk.EventBox()
label = Gtk.Label(label="target")
target.add(label)
box.pack_start(entry, False, False, 0)
box.pack_start(target, True, True, 0)
win.add(box)


def on_press(_widget, event):
    print(f"press {event.button}", flush=True)
    return True  # keep the entry focused


def on_map(*_args):
    entry.grab_focus()
    GLib.timeout_add(100, lambda: (print("ready", flush=True), False)[1])


def on_stdin(channel, _condition):
    line = channel.readline()
    if not line:
        Gtk.main_quit()
        return False
    if line.strip() == "dump":
        print(json.dumps(entry.get_text()), flush=True)
    elif line.startswith("animate "):
        # Changes the target's label at 30 frames per second, then prints "animated".
        left = [int(line.split()[1])]

        def step():
            left[0] -= 1
            label.set_text(f"frame {left[0]}")
            if left[0] > 0:
                return True
            print("animated", flush=True)
            return False

        GLib.timeout_add(33, step)
    elif line.strip() == "clear":
        entry.set_text("")
        print("cleared", flush=True)
    return True


def on_scroll(_widget, event):
    ok, dx, dy = event.get_scroll_deltas()
    direction = {Gdk.ScrollDirection.UP: "up", Gdk.ScrollDirection.DOWN: "down"}.get(event.direction)
    if direction is None and ok and dy != 0:
        direction = "up" if dy < 0 else "down"
    if direction:
        print(f"scroll {direction}", flush=True)
    return True


target.add_events(Gdk.EventMask.SCROLL_MASK | Gdk.EventMask.BUTTON_PRESS_MASK)
target.connect("scroll-event", on_scroll)
target.connect("button-press-event", on_press)
win.connect("map-event", on_map)
win.connect("destroy", Gtk.main_quit)
GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.IO_IN | GLib.IO_HUP, on_stdin)
win.show_all()
Gtk.main()
