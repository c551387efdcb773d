# A 200x200 animation for the Wayland stream tests and benchmark: a GTK 3 window whose top-left
# 200x200 square (an image) changes 30 times a second. Frame k (0, 1, ...) fills the square with the colour
# (r, g, b) = (k & 0xff, (k >> 8) & 0xff, 0xa5) and draws a white bar at x = (7 k) mod 190 in its
# lower half, so a receiver reads k from any pixel of the upper half and counts distinct frames
# and drops exactly. Frames are drawn on GTK's frame clock (the compositor's refresh): frame k is
# due k/30 s after the start, and each tick shows the next frame when it is due, so no number is
# ever skipped (a late app shows its frames later, never fewer).
# Prints "ready" once mapped. On the stdin line "run N" shows frames 1..N and prints
# "ran N in S" (S: seconds from the first frame to the last); "hold K" shows frame K and stays
# still, printing "held K"; a button press on the square prints "press X Y" (logical pixels from
# its top-left corner); exits when stdin closes.
import sys
import time

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("GdkPixbuf", "2.0")
from gi.repository import GdkPixbuf, GLib, Gtk  # noqa: E402

SIZE = 200
FPS = 30

GLib.set_prgname("opendesk-animation")
win = Gtk.Window(title="opendesk animation")
win.set_decorated(False)  # no title bar or shadow: the square is the window's top-left corner
image = Gtk.Image()
box = Gtk.EventBox(halign=Gtk.Align.START, valign=Gtk.Align.START)
box.add(image)
win.add(box)
page = Gtk.CssProvider()
page.load_from_data(b"window { background-color: white; }")
win.get_style_context().add_provider(page, Gtk.STYLE_PROVIDER_PRIORITY_USER)
state = {"frame": -1, "start": 0.0, "last": 0}


def show(k):
    """Shows frame k: a new image of the same size, drawn in this frame clock cycle."""
    if k == state["frame"]:
        return
    state["frame"] = k
    pixbuf = GdkPixbuf.Pixbuf.new(GdkPixbuf.Colorspace.RGB, False, 8, SIZE, SIZE)
    pixbuf.fill(((k & 0xFF) << 24) | (((k >> 8) & 0xFF) << 16) | (0xA5 << 8) | 0xFF)
    bar = (7 * k) % (SIZE - 10)
    pixbuf.new_subpixbuf(bar, SIZE // 2, 10, SIZE // 2).fill(0xFFFFFFFF)
    image.set_from_pixbuf(pixbuf)


def on_tick(_widget, _clock):
    if state["last"] == 0:
        return GLib.SOURCE_REMOVE
    k = state["frame"]
    if time.monotonic() >= state["start"] + k / FPS:
        k += 1
        show(k)
    if k >= state["last"]:
        print(f"ran {k} in {time.monotonic() - state['start']:.3f}", flush=True)
        state["last"] = 0
        return GLib.SOURCE_REMOVE
    return GLib.SOURCE_CONTINUE


def on_press(_widget, event):
    print(f"press {int(event.x)} {int(event.y)}", flush=True)
    return True


def on_map(*_args):
    GLib.timeout_add(100, lambda: (print("ready", flush=True), False)[1])


def on_stdin(channel, _condition):
    line = channel.readline()
    if not line:
        Gtk.main_quit()
        return False
    words = line.split()
    if words[:1] == ["run"]:
        state["start"] = time.monotonic()
        state["last"] = int(words[1])
        state["frame"] = 0
        win.add_tick_callback(on_tick)
    elif words[:1] == ["hold"]:
        show(int(words[1]))
        print(f"held {words[1]}", flush=True)
    return True


box.connect("button-press-event", on_press)
win.connect("map-event", on_map)
win.connect("destroy", Gtk.main_quit)
GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.IO_IN | GLib.IO_HUP, on_stdin)
show(0)
win.show_all()
Gtk.main()
